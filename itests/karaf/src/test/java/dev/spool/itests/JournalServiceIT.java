package dev.spool.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.spool.api.spi.journal.EntryReader;
import dev.spool.api.spi.journal.EntryWriter;
import dev.spool.api.spi.journal.Journal;
import dev.spool.api.spi.journal.JournalClosedException;
import dev.spool.api.spi.journal.JournalService;
import java.io.IOException;
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

/**
 * The journal as a Karaf user meets it: the distribution boots with {@code spool-journal} installed, an application
 * gets {@link JournalService} injected, and its entries survive a restart of the journal bundle.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class JournalServiceIT {
    private static final String JOURNAL_BUNDLE = "dev.spool.journal";
    private static final int ENTRIES = 100_000;

    @Inject
    private BundleContext context;

    @Inject
    private FeaturesService features;

    @Configuration
    public Option[] configuration() {
        return SpoolKarafOptions.distribution();
    }

    /** The distribution boots the journal feature (and the umbrella feature) without any configuration. */
    @Test
    public void distributionBootsTheJournalFeature() throws Exception {
        assertTrue("spool-journal installed", features.isInstalled(features.getFeature("spool-journal")));
        assertTrue("spool installed", features.isInstalled(features.getFeature("spool")));
        assertEquals(
                Bundle.ACTIVE, new OsgiServices(context).bundle(JOURNAL_BUNDLE).getState());
    }

    /** 100,000 entries written through the injected service survive a stop and start of the journal bundle. */
    @Test
    public void entriesSurviveARestartOfTheJournalBundle() throws Exception {
        final OsgiServices services = new OsgiServices(context);
        final Journal journal = services.awaitConfigured(JournalService.class).open("bundle-restart");
        final EntryWriter writer = journal.writer();
        for (long i = 1; i <= ENTRIES; i++) {
            assertEquals(i, writer.append(1, IndexedPayloadCodec.INSTANCE, i));
        }
        writer.flush();
        assertAllEntriesPresent(journal);

        final long before = services.serviceId(JournalService.class);
        final Bundle bundle = services.bundle(JOURNAL_BUNDLE);
        bundle.stop();
        assertThrows(
                "a journal of a stopped bundle is closed",
                JournalClosedException.class,
                () -> writer.append(1, IndexedPayloadCodec.INSTANCE, ENTRIES + 1L));
        bundle.start();

        final JournalService restarted =
                services.await(JournalService.class, reference -> (Long) reference.getProperty("service.id") != before);
        try (Journal reopened = restarted.open("bundle-restart")) {
            assertAllEntriesPresent(reopened);
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
}
