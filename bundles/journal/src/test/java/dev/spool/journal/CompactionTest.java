package dev.spool.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.journal.EntryReader;
import dev.spool.api.journal.Journal;
import dev.spool.api.journal.RawRecords;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour 8: compaction deletes whole segments; readers and raw views keep theirs until released. */
class CompactionTest {
    @TempDir
    Path base;
    final TestJournals env = new TestJournals();

    @Test
    @DisplayName("a reader inside a compacted segment keeps reading correct data, a raw view stays readable")
    void holdersOutliveCompaction() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            Journal journal = service.open("j");
            for (int i = 1; i <= 100; i++) {
                journal.writer().append(1, Payloads.SIZED, Payloads.payload(i, 3000));
            }
            List<Path> files = TestJournals.segmentFiles(base.resolve("j"));
            EntryReader reader = journal.openReader(2);
            RawRecords raw;
            try (EntryReader rawReader = journal.openReader(1)) {
                raw = rawReader.readRaw(3, 1 << 20);
            }
            assertEquals(1, raw.firstIndex());
            assertEquals(3, raw.lastIndex());

            long secondSegment = TestJournals.countRecords(files.get(0)) + 1;
            journal.compactBefore(secondSegment);
            assertEquals(secondSegment, journal.firstIndex());
            assertFalse(files.get(0).toFile().exists(), "the compacted segment's file is deleted");
            assertThrows(IndexOutOfBoundsException.class, () -> journal.openReader(1));

            for (int i = 2; i <= 5; i++) {
                assertArrayEquals(Payloads.payload(i, 3000), reader.read(Payloads.SIZED), "entry " + i);
            }
            ByteBuffer bytes = raw.buffer();
            assertEquals(3 * 3028, bytes.remaining());
            assertEquals(1, bytes.getLong(bytes.position() + 8), "first raw record's index");
            byte[] payload = new byte[3000];
            bytes.get(bytes.position() + 28, payload);
            assertArrayEquals(Payloads.payload(1, 3000), payload);
            assertTrue(mappings(files.get(0)) > 0, "still mapped while a reader and a raw view hold it");
            raw.release();
            raw.release(); // idempotent
            assertTrue(mappings(files.get(0)) > 0, "still mapped while the reader holds it");
            for (int i = 6; i <= 100; i++) {
                assertArrayEquals(Payloads.payload(i, 3000), reader.read(Payloads.SIZED), "entry " + i);
            }
            assertEquals(0, mappings(files.get(0)), "unmapped once the reader moved on, its last holder");
            reader.close();
            assertTrue(files.get(1).toFile().exists(), "segments at or above the index stay");
        }
    }

    /** Counts this process's mappings of {@code file} (Linux); 1 where that cannot be seen, so the test still runs. */
    private static long mappings(Path file) throws Exception {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return 1;
        }
        try (Stream<String> lines = Files.lines(maps)) {
            return lines.filter(line -> line.contains(file.toString())).count();
        }
    }

    @Test
    @DisplayName("compaction keeps every entry at or above the index, and the last segment always")
    void compactionKeepsWhatIsNeeded() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            Journal journal = service.open("j");
            for (int i = 1; i <= 100; i++) {
                journal.writer().append(1, Payloads.SIZED, Payloads.payload(i, 3000));
            }
            journal.compactBefore(1000);
            assertTrue(journal.firstIndex() <= 100);
            assertEquals(100, journal.lastIndex());
            journal.close();
            Journal reopened = service.open("j");
            assertEquals(100, reopened.lastIndex());
            try (EntryReader reader = reopened.openReader(reopened.firstIndex())) {
                for (long i = reopened.firstIndex(); i <= 100; i++) {
                    assertArrayEquals(Payloads.payload(i, 3000), reader.read(Payloads.SIZED), "entry " + i);
                }
            }
        }
    }
}
