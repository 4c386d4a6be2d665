package dev.spool.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.spi.journal.EntryReader;
import dev.spool.api.spi.journal.Journal;
import dev.spool.api.spi.journal.StorageExhaustedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour 3: segments are allocated in full, ahead, off the appending thread; a full disk is a clean refusal. */
class SegmentPreparationTest {
    @TempDir
    Path base;

    final TestJournals env = new TestJournals();

    @Test
    @DisplayName("the next segment is prepared ahead, fully written out, by the service's preparer thread")
    void nextSegmentIsPreparedAhead() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_SYNC)) {
            Journal journal = service.open("j");
            Path spare = base.resolve("j").resolve("next-segment.tmp");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(Files.exists(spare) && Files.size(spare) == (64 << 10)) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(64 << 10, Files.size(spare), "spare written out to its full size");
            assertTrue(
                    Thread.getAllStackTraces().keySet().stream()
                            .anyMatch(t -> t.getName().equals("spool-journal-segment-preparer")),
                    "preparer thread runs");
            for (Path segment : TestJournals.segmentFiles(base.resolve("j"))) {
                assertEquals(64 << 10, Files.size(segment), "segment allocated in full: " + segment);
            }
            journal.close();
            assertFalse(Files.exists(spare), "closing discards the spare");
        }
    }

    @Test
    @DisplayName("below the free-space floor a roll is refused with StorageExhaustedException; reads continue")
    void fullDiskRefusesCleanly() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            Journal journal = service.open("j");
            int appended = 0;
            while (TestJournals.segmentFiles(base.resolve("j")).size() < 2) {
                journal.writer().append(1, Payloads.SIZED, Payloads.payload(++appended, 3000));
            }
            env.usableBytes.set(1000); // the faked disk is now full
            StorageExhaustedException refused = null;
            for (int i = 0; i < 100 && refused == null; i++) {
                try {
                    journal.writer().append(1, Payloads.UNSIZED, Payloads.payload(++appended, 3000));
                } catch (StorageExhaustedException e) {
                    refused = e;
                    appended--;
                }
            }
            assertTrue(refused != null, "an append needing a new segment was refused");
            assertEquals(1000, refused.usableBytes());
            assertEquals(1 << 20, refused.floorBytes());
            assertTrue(
                    refused.getMessage()
                            .contains("a segment file of " + TestJournals.SMALL_NONE.segmentSize() + " bytes"),
                    "the refusal names the size that did not fit: " + refused.getMessage());
            assertEquals(appended, journal.lastIndex());
            try (EntryReader reader = journal.openReader(1)) {
                for (int i = 1; i <= appended; i++) {
                    assertArrayEquals(Payloads.payload(i, 3000), reader.read(Payloads.SIZED), "entry " + i);
                }
            }
            assertThrows(
                    StorageExhaustedException.class,
                    () -> journal.writer().append(1, Payloads.SIZED, Payloads.payload(0, 3000)),
                    "still refused");

            env.usableBytes.set(Long.MAX_VALUE / 2); // space freed
            assertEquals(
                    appended + 1, journal.writer().append(1, Payloads.SIZED, Payloads.payload(appended + 1, 3000)));
            journal.close();
            Journal reopened = service.open("j");
            assertEquals(appended + 1, reopened.lastIndex());
        }
    }

    @Test
    @DisplayName("after a full disk refused a roll, compacting lets appends go on in a kept file, the disk still full")
    void compactionGetsAJournalOutOfAFullDisk() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            Journal journal = service.open("j");
            while (TestJournals.segmentFiles(base.resolve("j")).size() < 4) {
                journal.writer()
                        .append(
                                1,
                                Payloads.SIZED,
                                Payloads.payload(journal.writer().nextIndex(), 3000));
            }
            env.usableBytes.set(1000);
            assertThrows(StorageExhaustedException.class, () -> {
                for (int i = 0; i < 100; i++) {
                    journal.writer()
                            .append(
                                    1,
                                    Payloads.SIZED,
                                    Payloads.payload(journal.writer().nextIndex(), 3000));
                }
            });
            assertThrows(
                    StorageExhaustedException.class,
                    () -> journal.writer().append(1, Payloads.SIZED, Payloads.payload(0, 3000)),
                    "still refused");

            journal.compactBefore(journal.lastIndex()); // the applied state is in a snapshot
            long last = journal.lastIndex() + 60;
            for (int i = 0; i < 60; i++) { // three more rolls, each into a kept file
                journal.writer()
                        .append(
                                1,
                                Payloads.SIZED,
                                Payloads.payload(journal.writer().nextIndex(), 3000));
                if (i % 20 == 19) {
                    journal.compactBefore(journal.lastIndex());
                }
            }
            assertEquals(last, journal.lastIndex());
            try (EntryReader reader = journal.openReader(journal.firstIndex())) {
                for (long i = journal.firstIndex(); i <= last; i++) {
                    assertArrayEquals(Payloads.payload(i, 3000), reader.read(Payloads.SIZED), "entry " + i);
                }
            }
        }
    }

    @Test
    @DisplayName("no inode left, or a quota reached: a roll is a StorageExhaustedException naming the directory")
    void noInodeLeftIsStorageExhausted() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            Journal journal = service.open("j");
            env.creationRefusal.set("No space left on device");
            StorageExhaustedException refused = assertThrows(StorageExhaustedException.class, () -> {
                for (int i = 0; i < 100; i++) {
                    journal.writer()
                            .append(
                                    1,
                                    Payloads.SIZED,
                                    Payloads.payload(journal.writer().nextIndex(), 3000));
                }
            });
            assertEquals(base.resolve("j"), refused.directory());
            assertTrue(refused.getMessage().contains("No space left on device"), refused.getMessage());
            env.creationRefusal.set("Disk quota exceeded");
            assertThrows(
                    StorageExhaustedException.class,
                    () -> journal.writer().append(1, Payloads.SIZED, Payloads.payload(0, 3000)),
                    "quota");
            env.creationRefusal.set(null);
            long next = journal.writer().nextIndex();
            assertEquals(
                    next,
                    journal.writer().append(1, Payloads.SIZED, Payloads.payload(next, 3000)),
                    "appends resume once files can be created");
        }
    }
}
