package dev.spool.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spool.api.spi.journal.EntryReader;
import dev.spool.api.spi.journal.Journal;
import dev.spool.journal.internal.SegmentedJournal;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour 6: truncated entries never come back. */
class TruncationTest {
    @TempDir
    Path base;

    final TestJournals env = new TestJournals();

    @Test
    @DisplayName("10 long entries, truncate to 5, 2 short ones, reopen: exactly 1..7 with the new payloads")
    void removedEntriesNeverComeBack() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            Journal journal = service.open("j");
            for (int i = 1; i <= 10; i++) {
                journal.writer().append(1, Payloads.SIZED, Payloads.payload(i, 4000));
            }
            journal.truncateAfter(5);
            assertEquals(5, journal.lastIndex());
            journal.writer().append(2, Payloads.SIZED, Payloads.text("six"));
            journal.writer().append(2, Payloads.SIZED, Payloads.text("seven"));
            journal.close();

            Journal reopened = service.open("j");
            assertEquals(7, reopened.lastIndex());
            try (EntryReader reader = reopened.openReader(1)) {
                for (int i = 1; i <= 5; i++) {
                    assertArrayEquals(Payloads.payload(i, 4000), reader.read(Payloads.SIZED), "entry " + i);
                }
                assertEquals("six", Payloads.text(reader.read(Payloads.SIZED)));
                assertEquals("seven", Payloads.text(reader.read(Payloads.SIZED)));
                assertNull(reader.read(Payloads.SIZED));
            }
            assertEquals(2, reopened.termAt(7));
        }
    }

    @Test
    @DisplayName("truncating back across segments deletes later ones; the shorter log survives a reopen")
    void truncateAcrossSegments() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_SYNC)) {
            Journal journal = service.open("j");
            for (int i = 1; i <= 100; i++) {
                journal.writer().append(1, Payloads.SIZED, Payloads.payload(i, 3000));
            }
            int segments = TestJournals.segmentFiles(base.resolve("j")).size();
            journal.truncateAfter(30);
            journal.writer().append(3, Payloads.SIZED, Payloads.text("31"));
            journal.writer().flush();
            journal.close();
            Journal reopened = service.open("j");
            assertEquals(31, reopened.lastIndex());
            assertEquals(3, reopened.termAt(31));
            assertEquals(1, reopened.termAt(30));
            try (EntryReader reader = reopened.openReader(30)) {
                assertArrayEquals(Payloads.payload(30, 3000), reader.read(Payloads.SIZED));
                assertEquals("31", Payloads.text(reader.read(Payloads.SIZED)));
                assertNull(reader.read(Payloads.SIZED));
            }
            assertEquals(true, TestJournals.segmentFiles(base.resolve("j")).size() < segments);
        }
    }

    @Test
    @DisplayName("truncating below the first index is refused; truncating everything leaves an empty journal")
    void truncateBelowFirstIsRefused() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            Journal journal = service.open("j");
            for (int i = 1; i <= 60; i++) {
                journal.writer().append(1, Payloads.SIZED, Payloads.payload(i, 3000));
            }
            journal.compactBefore(40);
            long first = journal.firstIndex();
            assertThrows(IllegalArgumentException.class, () -> journal.truncateAfter(first - 2));
            journal.truncateAfter(first - 1);
            assertEquals(first - 1, journal.lastIndex());
            assertEquals(first, journal.writer().append(1, Payloads.SIZED, Payloads.text("again")));
        }
    }

    @Test
    @DisplayName("under SYNC a truncation is durable when it returns: no removed record can be found behind new ones")
    void syncTruncationIsForcedAtOnce() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_SYNC)) {
            SegmentedJournal journal = (SegmentedJournal) service.open("j");
            for (int i = 1; i <= 100; i++) {
                journal.writer().append(1, Payloads.SIZED, Payloads.payload(i, 3000));
            }
            journal.writer().flush();
            List<Path> before = TestJournals.segmentFiles(base.resolve("j"));
            long forces = journal.forceCount();
            journal.truncateAfter(30);
            assertEquals(forces + 1, journal.forceCount(), "the zeroing is forced before truncateAfter returns");
            Set<String> durable = env.durableNames.in(base.resolve("j"));
            for (Path removed :
                    before.subList(TestJournals.segmentFiles(base.resolve("j")).size(), before.size())) {
                assertFalse(durable.contains(removed.getFileName().toString()), removed + " still durable");
            }
        }
    }
}
