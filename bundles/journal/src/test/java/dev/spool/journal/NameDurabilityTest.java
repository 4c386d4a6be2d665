package dev.spool.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.spi.journal.Journal;
import dev.spool.api.spi.journal.TermStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names are data: under SYNC a new or renamed file is durable (its directory forced) before anything that depends on
 * it is acknowledged; the term store and the journal's meta file, always forced, have durable names too.
 */
class NameDurabilityTest {
    private static final String FIRST_SEGMENT = "seg-0000000000-00000000000000000001.log";

    @TempDir
    Path base;

    final TestJournals env = new TestJournals();

    @Test
    @DisplayName("a new SYNC journal's first segment, meta file and directory are durable names at the first flush")
    void firstSegmentNameIsDurableAtFirstFlush() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_SYNC)) {
            Journal journal = service.open("j");
            journal.writer().append(1, Payloads.SIZED, Payloads.text("first"));
            assertEquals(1, journal.writer().flush());
            Set<String> durable = env.durableNames.in(base.resolve("j"));
            assertTrue(durable.contains(FIRST_SEGMENT), "durable names of the journal directory: " + durable);
            assertTrue(durable.contains("journal.meta"), "durable names of the journal directory: " + durable);
            assertTrue(
                    env.durableNames.in(base).contains("j"), "durable names of the base: " + env.durableNames.in(base));
        }
    }

    @Test
    @DisplayName("a segment rolled into under SYNC is a durable name when the flush after it returns")
    void rolledSegmentNameIsDurableAtFlush() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_SYNC)) {
            Journal journal = service.open("j");
            while (TestJournals.segmentFiles(base.resolve("j")).size() < 3) {
                journal.writer()
                        .append(
                                1,
                                Payloads.SIZED,
                                Payloads.payload(journal.writer().nextIndex(), 3000));
            }
            journal.writer().flush();
            Set<String> durable = env.durableNames.in(base.resolve("j"));
            for (Path segment : TestJournals.segmentFiles(base.resolve("j"))) {
                assertTrue(durable.contains(segment.getFileName().toString()), segment + " in " + durable);
            }
        }
    }

    @Test
    @DisplayName("a SYNC open that deletes leftovers forces the directory before it returns")
    void recoveryForcesTheDirectory() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_SYNC)) {
            Journal journal = service.open("j");
            journal.writer().append(1, Payloads.SIZED, Payloads.text("first"));
            journal.close();
            Path leftover = base.resolve("j").resolve(FIRST_SEGMENT + ".free");
            Files.write(leftover, new byte[64 << 10]);
            env.durableNames.forget();

            service.open("j").close();
            assertFalse(Files.exists(leftover));
            assertTrue(env.durableNames.forced(base.resolve("j")), "the open forced the journal directory");
            assertFalse(
                    env.durableNames
                            .in(base.resolve("j"))
                            .contains(leftover.getFileName().toString()),
                    "the deletion is durable");
        }
    }

    @Test
    @DisplayName("a new term store's file and directory are durable names when its first update returns")
    void termStoreNameIsDurable() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE);
                TermStore store = service.openTermStore("g1")) {
            store.update(1, "member-1");
            assertTrue(
                    env.durableNames.in(base.resolve("_terms")).contains("g1.term"),
                    "durable names of _terms: " + env.durableNames.in(base.resolve("_terms")));
            assertTrue(
                    env.durableNames.in(base).contains("_terms"),
                    "durable names of the base: " + env.durableNames.in(base));
        }
    }

    @Test
    @DisplayName("a new NONE journal's meta file, which the suspect rule relies on, is a durable name once open")
    void metaFileNameIsDurableUnderNone() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            service.open("j");
            assertTrue(
                    env.durableNames.in(base.resolve("j")).contains("journal.meta"),
                    "durable names of the journal directory: " + env.durableNames.in(base.resolve("j")));
            assertTrue(env.durableNames.in(base).contains("j"));
        }
    }
}
