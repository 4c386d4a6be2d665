package dev.spool.itests;

import static org.junit.Assert.assertTrue;

import dev.spool.api.spi.journal.Journal;
import dev.spool.api.spi.journal.JournalService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The journal service follows its ConfigAdmin configuration. It runs in a container of its own, with Karaf's
 * write-back of changed configurations to {@code etc/} turned off: a written-back file is read again and may
 * re-create the service once more, at a moment no test controls, closing the journals another test holds.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class JournalConfigurationIT {
    private static final String JOURNAL_PID = "dev.spool.journal";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Configuration
    public Option[] configuration() {
        return SpoolKarafOptions.distributionWithoutConfigSave();
    }

    /** Changing {@code baseDirectory} through ConfigAdmin re-creates the service over the new directory. */
    @Test
    public void configAdminMovesTheBaseDirectory() throws Exception {
        final OsgiServices services = new OsgiServices(context);
        services.awaitConfigured(JournalService.class); // etc/dev.spool.journal.cfg is in effect
        final org.osgi.service.cm.Configuration configuration = configurationAdmin.getConfiguration(JOURNAL_PID, null);
        final Dictionary<String, Object> original = configuration.getProperties();
        final Path moved = Path.of(System.getProperty("karaf.data"), "spool", "moved-journals");
        try {
            final long before = services.serviceId(JournalService.class);
            final Dictionary<String, Object> properties = new Hashtable<>();
            properties.put("baseDirectory", moved.toString());
            configuration.update(properties);

            final JournalService relocated = services.await(
                    JournalService.class, reference -> (Long) reference.getProperty("service.id") != before);
            try (Journal journal = relocated.open("relocated")) {
                journal.writer().append(1, IndexedPayloadCodec.INSTANCE, 1L);
                journal.writer().flush();
            }
            assertTrue(
                    "journal directory created under the new base directory",
                    Files.isDirectory(moved.resolve("relocated")));
        } finally {
            final long before = services.serviceId(JournalService.class);
            if (original == null) {
                configuration.delete();
            } else {
                configuration.update(original);
            }
            services.await(JournalService.class, reference -> (Long) reference.getProperty("service.id") != before);
        }
    }
}
