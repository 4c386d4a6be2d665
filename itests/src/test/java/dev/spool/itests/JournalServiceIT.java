package dev.spool.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.spool.api.codec.EntrySink;
import dev.spool.api.codec.EntrySource;
import dev.spool.api.codec.PayloadCodec;
import dev.spool.api.journal.EntryReader;
import dev.spool.api.journal.EntryWriter;
import dev.spool.api.journal.Journal;
import dev.spool.api.journal.JournalClosedException;
import dev.spool.api.journal.JournalService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import javax.inject.Inject;
import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The journal as a Karaf user meets it: the distribution boots with {@code spool-journal} installed, an application
 * gets {@link JournalService} injected, its entries survive a restart of the journal bundle, and ConfigAdmin moves
 * the base directory.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class JournalServiceIT {
    private static final String JOURNAL_PID = "dev.spool.journal";
    private static final String JOURNAL_BUNDLE = "dev.spool.journal";
    private static final int ENTRIES = 100_000;

    @Inject
    private BundleContext context;

    @Inject
    private FeaturesService features;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private JournalService journalService;

    @Configuration
    public Option[] configuration() {
        return SpoolKarafOptions.distribution();
    }

    /** The distribution boots the journal feature (and the umbrella feature) without any configuration. */
    @Test
    public void distributionBootsTheJournalFeature() throws Exception {
        assertTrue("spool-journal installed", features.isInstalled(features.getFeature("spool-journal")));
        assertTrue("spool installed", features.isInstalled(features.getFeature("spool")));
        assertEquals(Bundle.ACTIVE, new OsgiServices(context).bundle(JOURNAL_BUNDLE).getState());
    }

    /** 100,000 entries written through the injected service survive a stop and start of the journal bundle. */
    @Test
    public void entriesSurviveARestartOfTheJournalBundle() throws Exception {
        final Journal journal = journalService.open("bundle-restart");
        final EntryWriter writer = journal.writer();
        for (long i = 1; i <= ENTRIES; i++) {
            assertEquals(i, writer.append(1, IndexedPayloadCodec.INSTANCE, i));
        }
        writer.flush();
        assertAllEntriesPresent(journal);

        final OsgiServices services = new OsgiServices(context);
        final long before = services.serviceId(JournalService.class);
        final Bundle bundle = services.bundle(JOURNAL_BUNDLE);
        bundle.stop();
        assertThrows("a journal of a stopped bundle is closed", JournalClosedException.class,
            () -> writer.append(1, IndexedPayloadCodec.INSTANCE, ENTRIES + 1L));
        bundle.start();

        final JournalService restarted = services.await(JournalService.class,
            reference -> (Long) reference.getProperty("service.id") != before);
        try (Journal reopened = restarted.open("bundle-restart")) {
            assertAllEntriesPresent(reopened);
        }
    }

    /** Changing {@code baseDirectory} through ConfigAdmin re-creates the service over the new directory. */
    @Test
    public void configAdminMovesTheBaseDirectory() throws Exception {
        final OsgiServices services = new OsgiServices(context);
        final org.osgi.service.cm.Configuration configuration =
            configurationAdmin.getConfiguration(JOURNAL_PID, null);
        final Dictionary<String, Object> original = configuration.getProperties();
        final Path moved = Path.of(System.getProperty("karaf.data"), "spool", "moved-journals");
        try {
            final long before = services.serviceId(JournalService.class);
            final Dictionary<String, Object> properties = new Hashtable<>();
            properties.put("baseDirectory", moved.toString());
            configuration.update(properties);

            final JournalService relocated = services.await(JournalService.class,
                reference -> (Long) reference.getProperty("service.id") != before);
            try (Journal journal = relocated.open("relocated")) {
                journal.writer().append(1, IndexedPayloadCodec.INSTANCE, 1L);
                journal.writer().flush();
            }
            assertTrue("journal directory created under the new base directory",
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

    private static void assertAllEntriesPresent(Journal journal) throws IOException {
        assertEquals(1, journal.firstIndex());
        assertEquals(ENTRIES, journal.lastIndex());
        try (EntryReader reader = journal.openReader(1)) {
            for (long i = 1; i <= ENTRIES; i++) {
                assertEquals(Long.valueOf(i), reader.read(IndexedPayloadCodec.INSTANCE));
            }
            assertEquals(null, reader.read(IndexedPayloadCodec.INSTANCE));
        }
    }

    /** A payload that names its own index, padded to a realistic size, so a misplaced entry is caught. */
    private enum IndexedPayloadCodec implements PayloadCodec<Long> {
        INSTANCE;

        private static final int PADDING = 120;

        @Override
        public void encode(Long payload, EntrySink sink) throws IOException {
            sink.writeLong(payload);
            for (int i = 0; i < PADDING; i++) {
                sink.writeByte((int) (payload + i));
            }
        }

        @Override
        public Long decode(EntrySource source) throws IOException {
            final long value = source.readLong();
            for (int i = 0; i < PADDING; i++) {
                if (source.readByte() != (byte) (value + i)) {
                    throw new IOException("payload of entry " + value + " is damaged at byte " + i);
                }
            }
            return value;
        }
    }
}
