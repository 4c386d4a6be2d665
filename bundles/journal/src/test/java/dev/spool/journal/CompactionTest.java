package dev.spool.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.spi.journal.EntryReader;
import dev.spool.api.spi.journal.Journal;
import dev.spool.api.spi.journal.RawRecords;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour 8: compaction removes whole segments; readers and raw views keep theirs until released. */
class CompactionTest {
    @TempDir
    Path base;

    final TestJournals env = new TestJournals();

    @Test
    @DisplayName("a reader inside a compacted segment reads correct data, a raw view stays readable; "
            + "the file is reused only after both let go")
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
            Object compactedFile = fileKey(files.get(0));
            journal.compactBefore(secondSegment);
            assertEquals(secondSegment, journal.firstIndex());
            assertFalse(files.get(0).toFile().exists(), "the compacted segment's file left the journal");
            assertThrows(IndexOutOfBoundsException.class, () -> journal.openReader(1));
            for (int i = 101; i <= 200; i++) { // several rolls while the compacted segment is held
                journal.writer().append(1, Payloads.SIZED, Payloads.payload(i, 3000));
            }
            assertFalse(segmentKeys().contains(compactedFile), "not reused while a reader and a raw view hold it");

            for (int i = 2; i <= 5; i++) {
                assertArrayEquals(Payloads.payload(i, 3000), reader.read(Payloads.SIZED), "entry " + i);
            }
            ByteBuffer bytes = raw.buffer();
            assertEquals(3 * 3028, bytes.remaining());
            assertEquals(1, bytes.getLong(bytes.position() + 8), "first raw record's index");
            byte[] payload = new byte[3000];
            bytes.get(bytes.position() + 28, payload);
            assertArrayEquals(Payloads.payload(1, 3000), payload);
            raw.release();
            raw.release(); // idempotent
            for (int i = 6; i <= 200; i++) {
                assertArrayEquals(Payloads.payload(i, 3000), reader.read(Payloads.SIZED), "entry " + i);
            }
            reader.close();
            for (int i = 201; i <= 300; i++) { // the reader moved on: the next rolls may reuse the file
                journal.writer().append(1, Payloads.SIZED, Payloads.payload(i, 3000));
            }
            assertTrue(segmentKeys().contains(compactedFile), "reused once its last holder released it");
            assertTrue(files.get(1).toFile().exists(), "segments at or above the index stay");
        }
    }

    private Set<Object> segmentKeys() throws IOException {
        Set<Object> keys = new HashSet<>();
        for (Path segment : TestJournals.segmentFiles(base.resolve("j"))) {
            keys.add(fileKey(segment));
        }
        return keys;
    }

    /** The file's identity (its inode), which a rename keeps. */
    private static Object fileKey(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
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
