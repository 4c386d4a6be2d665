package dev.spool.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.spi.journal.CorruptJournalException;
import dev.spool.api.spi.journal.EntryReader;
import dev.spool.api.spi.journal.Journal;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour 7: recovery at open. */
class RecoveryTest {
    @TempDir
    Path base;

    final TestJournals env = new TestJournals();

    private List<Path> writeSegments(MappedJournalService service, int entries) throws Exception {
        Journal journal = service.open("j");
        for (int i = 1; i <= entries; i++) {
            journal.writer().append(1, Payloads.SIZED, Payloads.payload(i, 3000));
        }
        journal.close();
        return TestJournals.segmentFiles(base.resolve("j"));
    }

    private List<byte[]> contents(List<Path> files) throws Exception {
        List<byte[]> all = new ArrayList<>();
        for (Path file : files) {
            all.add(Files.readAllBytes(file));
        }
        return all;
    }

    @Test
    @DisplayName("a last segment whose first term is below the previous segment's last term ends the log there")
    void termGoingBackAcrossSegmentsEndsTheLog() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            List<Path> files = writeSegments(service, 50); // all of term 1
            Path last = files.get(files.size() - 1);
            long lastOfPrevious = 50 - TestJournals.countRecords(last);
            // The last segment's first record gets term 0, with a valid checksum: only the term check can refuse it.
            ByteBuffer record = ByteBuffer.wrap(TestJournals.readBytes(last, 64, 3028));
            record.putLong(16, 0);
            CRC32C crc = new CRC32C();
            crc.update(record.array(), 4, 3024);
            record.putInt(0, (int) crc.getValue());
            TestJournals.writeBytes(last, 64, record.array());

            Journal recovered = service.open("j");
            assertEquals(lastOfPrevious, recovered.lastIndex());
            assertEquals(1, recovered.termAt(lastOfPrevious));
        }
    }

    @Test
    @DisplayName("a torn record at the tail of the last segment is cut off, and the rest of the segment zeroed")
    void tornTailIsTruncated() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            List<Path> files = writeSegments(service, 50);
            Path last = files.get(files.size() - 1);
            Journal journal = service.open("j");
            long lastIndex = journal.lastIndex();
            long firstOfLast = lastIndex - TestJournals.countRecords(last) + 1;
            journal.close();
            // Tear the last record: damage its payload, then leave garbage beyond it too.
            int lastOffset = TestJournals.recordOffsets(last).get((int) (lastIndex - firstOfLast));
            TestJournals.flipByte(last, lastOffset + 100);
            TestJournals.writeBytes(last, (64 << 10) - 10, new byte[] {1, 2, 3});

            Journal recovered = service.open("j");
            assertEquals(lastIndex - 1, recovered.lastIndex());
            assertTrue(
                    TestJournals.allZero(TestJournals.readBytes(last, lastOffset, (64 << 10) - lastOffset)),
                    "the torn record and everything after it are zeroed");
            assertEquals(lastIndex, recovered.writer().append(2, Payloads.SIZED, Payloads.text("new")));
        }
    }

    @Test
    @DisplayName("a record whose index goes backwards ends the valid log")
    void backwardIndexEndsTheLog() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            Journal journal = service.open("j");
            for (int i = 1; i <= 5; i++) {
                journal.writer().append(1, Payloads.SIZED, Payloads.payload(i, 100));
            }
            journal.close();
            Path file = TestJournals.segmentFiles(base.resolve("j")).get(0);
            // Rewrite record 4 as a copy of record 2 (valid checksum, index going backwards).
            byte[] record2 = TestJournals.readBytes(file, 64 + 128, 128);
            TestJournals.writeBytes(file, 64 + 3 * 128, record2);
            Journal recovered = service.open("j");
            assertEquals(3, recovered.lastIndex());
        }
    }

    @Test
    @DisplayName("a flipped byte in an early segment: open succeeds, that read names file and offset, nothing deleted")
    void corruptEarlyRecordIsNeverServedNorDeleted() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            List<Path> files = writeSegments(service, 100);
            assertTrue(files.size() >= 4);
            Path early = files.get(1);
            int recordsBefore = TestJournals.countRecords(files.get(0));
            TestJournals.flipByte(early, 64 + 3028 * 2 + 8); // the index field of the third record of segment 2
            List<byte[]> before = contents(files);

            Journal journal = service.open("j");
            assertEquals(100, journal.lastIndex());
            try (EntryReader reader = journal.openReader(recordsBefore + 1)) {
                reader.read(Payloads.SIZED);
                reader.read(Payloads.SIZED);
                CorruptJournalException e =
                        assertThrows(CorruptJournalException.class, () -> reader.read(Payloads.SIZED));
                assertEquals(early, e.file());
                assertEquals(64 + 3028 * 2, e.offset());
                reader.seek(recordsBefore + 4);
                assertThrows(
                        CorruptJournalException.class,
                        () -> reader.read(Payloads.SIZED),
                        "entries after the corrupt one in that segment are not served either");
            }
            try (EntryReader reader = journal.openReader(recordsBefore + TestJournals.countRecords(early) + 1)) {
                assertArrayEquals(
                        Payloads.payload(recordsBefore + TestJournals.countRecords(early) + 1, 3000),
                        reader.read(Payloads.SIZED),
                        "later segments are intact and readable");
            }
            journal.close();
            assertEquals(files, TestJournals.segmentFiles(base.resolve("j")), "no segment deleted");
            List<byte[]> after = contents(files);
            for (int i = 0; i < files.size() - 1; i++) {
                assertTrue(Arrays.equals(before.get(i), after.get(i)), "segment unchanged: " + files.get(i));
            }
        }
    }

    @Test
    @DisplayName("a corrupt segment header fails the open naming the file, and changes no file")
    void corruptHeaderFailsOpenWithoutChanges() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            List<Path> files = writeSegments(service, 100);
            Path damaged = files.get(2);
            TestJournals.flipByte(damaged, 17);
            List<byte[]> before = contents(files);
            CorruptJournalException e = assertThrows(CorruptJournalException.class, () -> service.open("j"));
            assertEquals(damaged, e.file());
            assertEquals(files, TestJournals.segmentFiles(base.resolve("j")));
            List<byte[]> after = contents(files);
            for (int i = 0; i < files.size(); i++) {
                assertArrayEquals(before.get(i), after.get(i), "unchanged: " + files.get(i));
            }
            // The failed open released the lock: the journal can be opened again once repaired.
            TestJournals.flipByte(damaged, 17);
            try (Journal journal = service.open("j")) {
                assertEquals(100, journal.lastIndex());
                try (EntryReader reader = journal.openReader(100)) {
                    assertArrayEquals(Payloads.payload(100, 3000), reader.read(Payloads.SIZED));
                    assertNull(reader.read(Payloads.SIZED));
                }
            }
        }
    }

    @Test
    @DisplayName("termAt refuses a record that fails its checksum (a flipped term byte), indexed or not")
    void termAtRefusesACorruptRecord() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            List<Path> files = writeSegments(service, 100);
            Path early = files.get(1);
            long firstOfEarly = TestJournals.countRecords(files.get(0)) + 1;
            TestJournals.flipByte(early, 64 + 3028 * 2 + 16 + 7); // the low byte of the third record's term
            Journal journal = service.open("j");
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> journal.termAt(firstOfEarly + 2));
            CorruptJournalException corrupt = assertInstanceOf(CorruptJournalException.class, e.getCause());
            assertEquals(early, corrupt.file());
            assertEquals(64 + 3028 * 2, corrupt.offset());
            assertEquals(1, journal.termAt(firstOfEarly + 1), "its neighbours answer");

            Path last = files.get(files.size() - 1);
            assertEquals(1, journal.termAt(100), "indexed at open");
            int lastOffset = TestJournals.recordOffsets(last).get(TestJournals.countRecords(last) - 1);
            TestJournals.flipByte(last, lastOffset + 16 + 7);
            e = assertThrows(UncheckedIOException.class, () -> journal.termAt(100), "damaged after it was indexed");
            assertEquals(
                    last,
                    assertInstanceOf(CorruptJournalException.class, e.getCause())
                            .file());
        }
    }
}
