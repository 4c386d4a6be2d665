package dev.spool.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.spi.journal.CorruptJournalException;
import dev.spool.api.spi.journal.EntryReader;
import dev.spool.api.spi.journal.Journal;
import dev.spool.api.spi.journal.JournalSpec;
import dev.spool.journal.internal.SegmentedJournal;
import dev.spool.testing.LogCapture;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What recovery does with data lost or damaged behind the tail: a hole that lost page-cache write-back left in an
 * earlier segment, and intact records behind a corrupt one in the last segment.
 */
class LostWriteBackTest {
    private static final int RECORD = 3028; // a 3000-byte payload and the record header
    private static final int PAGE = 4096;

    @TempDir
    Path base;

    final TestJournals env = new TestJournals();

    private List<Path> write(MappedJournalService service, int entries) throws Exception {
        Journal journal = service.open("j");
        for (int i = 1; i <= entries; i++) {
            journal.writer().append(1, Payloads.SIZED, Payloads.payload(i, 3000));
        }
        journal.close();
        return TestJournals.segmentFiles(base.resolve("j"));
    }

    /** Zeroes {@code file} from {@code offset} to its end: the pages whose write-back the machine crash lost. */
    private static void loseWriteBack(Path file, long offset) throws Exception {
        TestJournals.writeBytes(file, offset, new byte[(int) (Files.size(file) - offset)]);
    }

    @Test
    @DisplayName("NONE, after a reboot: a hole in an earlier segment is cut, later segments go, the journal is suspect")
    void holeInEarlierSegmentIsCutUnderNone() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            List<Path> files = write(service, 100);
            assertTrue(files.size() >= 4);
            Path holed = files.get(1);
            long firstOfHoled = TestJournals.countRecords(files.get(0)) + 1;
            loseWriteBack(holed, 4L * PAGE); // inside the sixth record: five records of the segment survive
            long lastKept = firstOfHoled + 4;
            env.bootId.set("boot-2");

            try (LogCapture log = new LogCapture(SegmentedJournal.class)) {
                Journal journal = service.open("j");
                assertEquals(lastKept, journal.lastIndex(), "cut at the first invalid record");
                assertTrue(journal.isSuspect());
                assertEquals(1, journal.termAt(lastKept));
                try (EntryReader reader = journal.openReader(1)) {
                    for (long i = 1; i <= lastKept; i++) {
                        assertArrayEquals(Payloads.payload(i, 3000), reader.read(Payloads.SIZED), "entry " + i);
                    }
                    assertNull(reader.read(Payloads.SIZED));
                }
                assertEquals(lastKept + 1, journal.writer().append(2, Payloads.SIZED, Payloads.text("caught up")));
                String cut = log.messages().stream()
                        .filter(m -> m.contains(holed.toString()))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("nothing logged about " + holed + ": " + log.messages()));
                assertTrue(cut.startsWith("WARNING"), cut);
                assertTrue(cut.contains("offset " + (64 + 5 * RECORD)), cut);
                assertTrue(cut.contains("index " + (lastKept + 1)), cut);
                journal.close();
            }
            assertEquals(
                    files.subList(0, 2),
                    TestJournals.segmentFiles(base.resolve("j")),
                    "the later segments are deleted");
            env.bootId.set("boot-3");
            try (Journal reopened = service.open("j")) {
                assertEquals(lastKept + 1, reopened.lastIndex(), "the cut journal opens again as it was left");
            }
        }
    }

    @Test
    @DisplayName("SYNC: the same hole is never cut: reading it names file and offset, nothing is deleted")
    void holeInEarlierSegmentIsAnErrorUnderSync() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_SYNC)) {
            List<Path> files = write(service, 100);
            Path holed = files.get(1);
            long firstOfHoled = TestJournals.countRecords(files.get(0)) + 1;
            loseWriteBack(holed, 4L * PAGE);
            env.bootId.set("boot-2");

            try (Journal journal = service.open("j")) {
                assertEquals(100, journal.lastIndex());
                assertFalse(journal.isSuspect());
                UncheckedIOException e =
                        assertThrows(UncheckedIOException.class, () -> journal.termAt(firstOfHoled + 5));
                CorruptJournalException corrupt = assertInstanceOf(CorruptJournalException.class, e.getCause());
                assertEquals(holed, corrupt.file());
                assertEquals(64 + 5 * RECORD, corrupt.offset());
            }
            assertEquals(files, TestJournals.segmentFiles(base.resolve("j")));
        }
    }

    /** Writes 10 entries into one segment and flips a payload byte of entry 4. */
    private Path damageFourthOfTen(JournalSpec spec) throws Exception {
        try (MappedJournalService service = env.service(base, spec)) {
            Journal journal = service.open("j");
            for (int i = 1; i <= 10; i++) {
                journal.writer().append(1, Payloads.SIZED, Payloads.payload(i, 3000));
            }
            journal.close();
        }
        Path segment = TestJournals.segmentFiles(base.resolve("j")).get(0);
        TestJournals.flipByte(segment, 64 + 3 * RECORD + 100);
        return segment;
    }

    @Test
    @DisplayName("NONE: intact records behind a corrupt one in the last segment are cut, and what was cut is logged")
    void intactRecordsBehindACorruptOneAreCutAndLoggedUnderNone() throws Exception {
        Path segment = damageFourthOfTen(TestJournals.SMALL_NONE);
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE);
                LogCapture log = new LogCapture(SegmentedJournal.class);
                Journal journal = service.open("j")) {
            assertEquals(3, journal.lastIndex());
            assertTrue(journal.isSuspect(), "entries counted as flushed are gone");
            String cut = log.messages().stream()
                    .filter(m -> m.contains(segment.toString()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("nothing logged about " + segment + ": " + log.messages()));
            assertTrue(cut.startsWith("WARNING"), cut);
            assertTrue(cut.contains("offset " + (64 + 3 * RECORD)), cut);
            assertTrue(cut.contains("4 to 10"), cut);
        }
    }

    @Test
    @DisplayName("SYNC: intact records behind a corrupt one in the last segment fail the open, naming file and offset")
    void intactRecordsBehindACorruptOneFailTheOpenUnderSync() throws Exception {
        Path segment = damageFourthOfTen(TestJournals.SMALL_SYNC);
        byte[] before = Files.readAllBytes(segment);
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_SYNC)) {
            CorruptJournalException e = assertThrows(CorruptJournalException.class, () -> service.open("j"));
            assertEquals(segment, e.file());
            assertEquals(64 + 3 * RECORD, e.offset());
            assertTrue(e.getMessage().contains("5"), e.getMessage());
        }
        assertTrue(Arrays.equals(before, Files.readAllBytes(segment)), "the failed open changed nothing");
    }

    @Test
    @DisplayName("SYNC: a torn last record with nothing behind it is an unflushed tail: cut, the open succeeds")
    void tornLastRecordIsCutUnderSync() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_SYNC)) {
            Journal journal = service.open("j");
            for (int i = 1; i <= 10; i++) {
                journal.writer().append(1, Payloads.SIZED, Payloads.payload(i, 3000));
            }
            journal.close();
            Path segment = TestJournals.segmentFiles(base.resolve("j")).get(0);
            TestJournals.flipByte(segment, 64 + 9 * RECORD + 100);
            try (Journal reopened = service.open("j")) {
                assertEquals(9, reopened.lastIndex());
            }
        }
    }
}
