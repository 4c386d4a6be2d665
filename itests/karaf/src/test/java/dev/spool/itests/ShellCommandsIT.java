package dev.spool.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.spool.api.group.GroupRole;
import dev.spool.api.group.RaftGroup;
import dev.spool.api.spi.journal.JournalService;
import dev.spool.api.spi.replication.ReplicationStreamer;
import dev.spool.api.spi.snapshot.SnapshotStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Before;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The console commands, run through Karaf's shell as an operator's session runs them, and the secrets of the
 * replication configuration, which no service property and no console listing shows.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ShellCommandsIT {
    /** A password given in a file: ConfigAdmin holds only the file's path. */
    private static final String SECRET = "hunter2-do-not-show";
    /** A password given inline, as a private property: ConfigAdmin holds it, no service property does. */
    private static final String INLINE_SECRET = "hunter3-no-service-shows";

    @Inject
    private BundleContext context;

    @Inject
    private SessionFactory sessions;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private RaftGroup<?> group;

    @Configuration
    public Option[] configuration() {
        return SpoolKarafOptions.distribution();
    }

    @Before
    public void defaultGroupLeads() throws InterruptedException {
        final OsgiServices services = new OsgiServices(context);
        services.awaitConfigured(JournalService.class);
        services.awaitConfigured(SnapshotStore.class);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (group.role() != GroupRole.LEADER) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("group " + group.name() + " did not lead within 60 s: " + group.role());
            }
            Thread.sleep(20);
        }
    }

    /** Runs a command line in a new session and returns what it printed; a failure is thrown. */
    private String run(String command) throws Exception {
        final ByteArrayOutputStream printed = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        final Session session = sessions.create(new ByteArrayInputStream(new byte[0]), out, out);
        try {
            session.execute(command);
        } finally {
            out.flush();
            session.close();
        }
        final String text = printed.toString(StandardCharsets.UTF_8);
        System.out.println("karaf@spool()> " + command + "\n" + text);
        return text;
    }

    /** Runs a command line that must fail and returns the failure's message. */
    private String failing(String command) throws Exception {
        try {
            final String printed = run(command);
            fail(command + " did not fail; it printed: " + printed);
            return null;
        } catch (Exception e) {
            System.out.println("karaf@spool()> " + command + "\nError executing command: " + e.getMessage());
            return e.getMessage();
        }
    }

    @Test
    public void consoleCommands() throws Exception {
        final String groups = run("spool:groups");
        assertTrue(groups, groups.startsWith("group    member    role    leader    term  commit  applied\n"));
        assertTrue(groups, groups.contains("default  member-1  LEADER  member-1"));

        final String help = run("spool:groups --help");
        assertTrue(help, help.contains("Lists this member's Raft groups"));
        final String groupHelp = run("spool:group --help");
        assertTrue(groupHelp, groupHelp.contains("group") && groupHelp.contains("the group's name"));

        run("kv:put colour blue");
        assertEquals("colour = blue\n", run("kv:get colour"));
        final String snapshot = run("spool:snapshot default");
        assertTrue(snapshot, snapshot.startsWith("group default: snapshot at index "));

        final String details = run("spool:group default");
        assertTrue(details, details.startsWith("group default: member member-1 is LEADER, leader member-1, term "));
        assertTrue(details, details.contains("member-1  LEADER  voting"));
        assertTrue(details, details.contains(" segments, "));

        final String added = run("spool:add-member --non-voting default member-2 127.0.0.1:17420");
        assertTrue(added, added.startsWith("group default: added member-2 at 127.0.0.1:17420, non-voting"));
        final String withLearner = run("spool:group default");
        assertTrue(withLearner, withLearner.contains("member-2  LEARNER  non-voting  127.0.0.1:17420"));
        assertEquals(
                "group default: member-2 is non-voting and cannot lead",
                failing("spool:transfer-leadership default member-2"));
        final String removed = run("spool:remove-member default member-2");
        assertTrue(removed, removed.startsWith("group default: removed member-2"));

        for (String wrong : new String[] {
            "kv:put",
            "kv:put colour",
            "spool:group",
            "spool:group nope",
            "spool:set-voting default member-1 maybe",
            "spool:add-member default member-2 nowhere"
        }) {
            final String message = failing(wrong);
            assertFalse(wrong + ": " + message, message == null || message.isBlank() || message.contains("\n"));
        }
        assertTrue(failing("kv:put").toLowerCase().contains("key"));
        assertEquals("no group 'nope' on this member; its groups: default", failing("spool:group nope"));
    }

    @Test
    public void backup() throws Exception {
        run("kv:put shape circle");
        final String help = run("spool:backup --help");
        assertTrue(help, help.contains("spool:backup group file"));
        final Path file = Files.createTempDirectory("spool-backup").resolve("default.backup");
        final String written = run("spool:backup default " + file);
        assertTrue(written, written.startsWith("group default: backup " + file + ", "));
        assertTrue(written, written.contains("  members at index ") && written.contains(": member-1\n"));
        assertTrue(file + " written", Files.size(file) > 0);
        assertEquals("backup " + file + " refused: the file exists", failing("spool:backup default " + file));
        final String noFile = failing("spool:backup default");
        assertTrue(noFile, noFile.contains("file") && !noFile.contains("\n"));
    }

    @Test
    public void servicePropertiesCarryNoPassword() throws Exception {
        final Path etc = Path.of(System.getProperty("karaf.etc"));
        Files.writeString(etc.resolve("spool-test-password"), SECRET);
        final org.osgi.service.cm.Configuration replication =
                configurationAdmin.getConfiguration("dev.spool.replication", null);
        final Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("memberId", "member-1");
        properties.put("listenHost", "127.0.0.1");
        properties.put("listenPort", freePort());
        properties.put(".tls.keyStorePassword", INLINE_SECRET);
        properties.put("tls.trustStorePasswordFile", "spool-test-password");
        replication.update(properties);
        try {
            new OsgiServices(context).await(ReplicationStreamer.class, reference -> true);
            for (Bundle bundle : context.getBundles()) {
                if (bundle.getSymbolicName() == null
                        || !bundle.getSymbolicName().startsWith("dev.spool")
                        || bundle.getRegisteredServices() == null) {
                    continue;
                }
                for (ServiceReference<?> service : bundle.getRegisteredServices()) {
                    for (String key : service.getPropertyKeys()) {
                        assertFalse(
                                bundle.getSymbolicName() + " publishes " + key,
                                key.toLowerCase().endsWith("password"));
                        final String value = String.valueOf(service.getProperty(key));
                        assertFalse(
                                bundle.getSymbolicName() + ": " + key,
                                value.contains(SECRET) || value.contains(INLINE_SECRET));
                    }
                }
            }
            final String services = run("service:list dev.spool.api.spi.replication.ReplicationStreamer");
            assertFalse(
                    services,
                    services.contains(SECRET) || services.contains(INLINE_SECRET) || services.contains(".tls."));
            final String listed = run("config:list \"(service.pid=dev.spool.replication)\"");
            assertTrue(listed, listed.contains("tls.trustStorePasswordFile = spool-test-password"));
            assertFalse(listed, listed.contains(SECRET));
        } finally {
            replication.delete();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
