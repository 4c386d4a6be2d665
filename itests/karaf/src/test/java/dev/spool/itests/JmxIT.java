package dev.spool.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.vmOption;

import dev.spool.api.group.GroupRole;
import dev.spool.api.group.RaftGroup;
import dev.spool.api.health.Health;
import dev.spool.api.health.HealthIndicator;
import dev.spool.api.spi.journal.JournalService;
import dev.spool.api.spi.snapshot.SnapshotStore;
import dev.spool.example.kv.KeyValueStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.inject.Inject;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * What an operator of the distribution sees: the group's and the member's MXBeans in the platform MBean server,
 * their health naming its cause, and the same values as Prometheus metrics from the shipped JMX exporter agent and
 * rules, run as {@code bin/setenv} runs them when {@code SPOOL_PROMETHEUS_PORT} is set.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class JmxIT {
    private static final String PORT_PROPERTY = "spool.test.prometheusPort";
    private static final String JOURNAL_PID = "dev.spool.journal";

    @Inject
    private BundleContext context;

    @Inject
    private KeyValueStore store;

    @Inject
    private RaftGroup<?> group;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    @Configuration
    public Option[] configuration() {
        final int port = freePort();
        // Pax Exam starts the container's JVM in the unpacked distribution: the paths are the shipped ones.
        return OptionUtils.combine(
                SpoolKarafOptions.distributionWithoutConfigSave(),
                vmOption("-javaagent:lib/prometheus/jmx_prometheus_javaagent.jar=127.0.0.1:" + port
                        + ":etc/spool-prometheus.yml"),
                systemProperty(PORT_PROPERTY).value(Integer.toString(port)));
    }

    @Before
    public void leads() throws Exception {
        final OsgiServices services = new OsgiServices(context);
        services.awaitConfigured(JournalService.class);
        services.awaitConfigured(SnapshotStore.class);
        awaitTrue("the group leads", () -> group.role() == GroupRole.LEADER);
    }

    /** The group's MXBean follows proposals; takeSnapshot takes one at the applied index; the member's lists it. */
    @Test
    public void mxBeansFollowTheGroup() throws Exception {
        final ObjectName bean = new ObjectName("dev.spool:type=RaftGroup,name=default");
        assertEquals("LEADER", server.getAttribute(bean, "Role"));
        assertEquals("member-1", server.getAttribute(bean, "Leader"));
        final long commit = (Long) server.getAttribute(bean, "CommitIndex");
        final long proposals = (Long) server.getAttribute(bean, "Proposals");
        for (int i = 0; i < 20; i++) {
            store.put("jmx-" + i, "value-" + i).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        awaitTrue("the proposals are counted", () -> attribute(bean, "Proposals") == proposals + 20);
        assertTrue("commit index moved", (Long) server.getAttribute(bean, "CommitIndex") >= commit + 20);
        // the commit index is published before the entries apply, so applied catches up with it, never passes it
        awaitTrue(
                "everything committed is applied",
                () -> attribute(bean, "CommitIndex") == attribute(bean, "AppliedIndex"));
        assertTrue((Integer) server.getAttribute(bean, "JournalSegments") >= 1);

        final long snapshot = (Long) server.invoke(bean, "takeSnapshot", new Object[0], new String[0]);
        assertEquals(group.appliedIndex(), snapshot);
        awaitTrue("the snapshot index is shown", () -> attribute(bean, "LastSnapshotIndex") == snapshot);

        final ObjectName member = new ObjectName("dev.spool:type=Member,name=member-1");
        assertEquals(List.of("default"), List.of((String[]) server.getAttribute(member, "Groups")));
        assertEquals(List.of("default"), List.of((String[]) server.getAttribute(member, "GroupsLed")));
        assertEquals(true, server.getAttribute(member, "Healthy"));
    }

    /** A wrong journal value makes the group and the member unhealthy, naming it; fixing it heals them. */
    @Test
    public void healthNamesAWrongJournalValue() throws Exception {
        final HealthIndicator memberHealth = memberHealth();
        assertEquals(Health.HEALTHY, memberHealth.health());
        final ObjectName bean = new ObjectName("dev.spool:type=RaftGroup,name=default");
        assertEquals(true, server.getAttribute(bean, "Healthy"));

        final org.osgi.service.cm.Configuration journal = configurationAdmin.getConfiguration(JOURNAL_PID, null);
        final Dictionary<String, Object> original = journal.getProperties();
        final String cause = "group default: journal service not bound: configuration dev.spool.journal:"
                + " segmentSize=12 must be between 65536 and 1073741824 bytes";
        try {
            final Dictionary<String, Object> wrong = new Hashtable<>();
            wrong.put("segmentSize", 12);
            journal.update(wrong);
            awaitTrue(
                    "the member names the cause",
                    () -> cause.equals(memberHealth.health().cause()));
            assertEquals(cause, server.getAttribute(bean, "HealthCause"));
            assertEquals(false, server.getAttribute(bean, "Healthy"));
            assertEquals(
                    cause, server.getAttribute(new ObjectName("dev.spool:type=Member,name=member-1"), "HealthCause"));
        } finally {
            journal.update(original);
        }
        awaitTrue("healthy again", () -> memberHealth.health().healthy());
    }

    /** The exporter agent serves the group's commit index as a Prometheus metric. */
    @Test
    public void prometheusScrapesTheCommitIndex() throws Exception {
        store.put("scraped", "yes").toCompletableFuture().get(30, TimeUnit.SECONDS);
        final long commit = group.commitIndex();
        final Pattern metric =
                Pattern.compile("^spool_group_commit_index\\{group=\"default\"} ([0-9.E]+)$", Pattern.MULTILINE);
        final URL url = URI.create("http://127.0.0.1:" + System.getProperty(PORT_PROPERTY) + "/metrics")
                .toURL();
        final String page;
        try (InputStream in = url.openStream()) {
            page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        final Matcher matcher = metric.matcher(page);
        assertTrue("spool_group_commit_index in\n" + page, matcher.find());
        assertTrue(
                "the scraped commit index " + matcher.group(1) + " is at least " + commit,
                Double.parseDouble(matcher.group(1)) >= commit);
        assertTrue(page, page.contains("spool_group_proposals_total{group=\"default\"}"));
        assertTrue(page, page.contains("spool_member_healthy{member=\"member-1\"} 1.0"));
    }

    private HealthIndicator memberHealth() throws Exception {
        final var references = context.getServiceReferences(
                HealthIndicator.class,
                "(" + HealthIndicator.SUBJECT_PROPERTY + "=" + HealthIndicator.MEMBER_SUBJECT + ")");
        assertEquals(1, references.size());
        final ServiceReference<HealthIndicator> reference =
                references.iterator().next();
        return context.getService(reference);
    }

    private long attribute(ObjectName bean, String name) {
        try {
            return ((Number) server.getAttribute(bean, name)).longValue();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitTrue(String what, Supplier<Boolean> condition) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            Thread.sleep(50);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the exporter", e);
        }
    }
}
