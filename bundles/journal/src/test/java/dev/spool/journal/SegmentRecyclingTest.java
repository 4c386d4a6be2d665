package dev.spool.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.spi.journal.EntryReader;
import dev.spool.api.spi.journal.Journal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files of compacted segments are reused for later segments with their old records still in them: those records must
 * never be taken for live ones. Every check copies the journal's files as they are at that moment (what a killed
 * process leaves, its page cache intact) and opens the copy.
 */
class SegmentRecyclingTest {
    /** 2028-byte payloads: 2056-byte records, 31 per 64 KiB segment. */
    private static final int OLD_SIZE = 2028;
    /** 1000-byte payloads: records half as long as the old ones, so new record boundaries fall on old ones. */
    private static final int NEW_SIZE = 1000;

    @TempDir
    Path base;

    final TestJournals env = new TestJournals();
    /** The live log: index to the payload it must hold. */
    final TreeMap<Long, byte[]> expected = new TreeMap<>();

    int crashes;

    @Test
    @DisplayName("a recycled file's old records never come back: short tail, truncation inside it and before it")
    void recycledSegmentNeverServesOldRecords() throws Exception {
        try (MappedJournalService service = env.service(base.resolve("live"), TestJournals.SMALL_NONE)) {
            Journal journal = service.open("j");
            appendUpTo(journal, 186, 1, OLD_SIZE, false); // six segments, starting at 1, 32, 63, 94, 125, 156
            Set<Object> compacted = fileKeys(journal);
            journal.compactBefore(125);
            forget(124);
            crashAndCheck(journal);

            appendUpTo(journal, 260, 2, OLD_SIZE, true); // same record size: new records sit exactly on old ones
            assertTrue(fileKeys(journal).stream().anyMatch(compacted::contains), "a compacted file was reused");

            journal.truncateAfter(journal.lastIndex() - 3);
            forgetAfter(journal.lastIndex());
            crashAndCheck(journal);
            journal.truncateAfter(200);
            forgetAfter(200);
            crashAndCheck(journal);
            appendUpTo(journal, 330, 3, NEW_SIZE, true);
        }
    }

    @Test
    @DisplayName("after a reset to a lower index, a file that held higher indexes is not reused where they could match")
    void resetToLowerIndexDoesNotReuseFilesHoldingItsIndexes() throws Exception {
        try (MappedJournalService service = env.service(base.resolve("live"), TestJournals.SMALL_NONE)) {
            Journal journal = service.open("j");
            appendUpTo(journal, 186, 1, OLD_SIZE, false);
            journal.compactBefore(125); // the files of the four segments below 125 wait for reuse, [94, 124] first
            journal.resetTo(1);
            expected.clear();
            crashAndCheck(journal);
            // Reused for the segment at 64, the file of [94, 124] would hold old record 124 exactly where new
            // record 124 belongs once 123 is written (60 new records of half the old length).
            appendUpTo(journal, 200, 4, NEW_SIZE, true);
        }
    }

    private void appendUpTo(Journal journal, long last, int generation, int size, boolean crashAfterEach)
            throws IOException {
        for (long index = journal.lastIndex() + 1; index <= last; index++) {
            byte[] payload = Payloads.payload(generation * 1_000_000L + index, size);
            assertEquals(index, journal.writer().append(1, Payloads.SIZED, payload));
            expected.put(index, payload);
            if (crashAfterEach) {
                crashAndCheck(journal);
            }
        }
    }

    private void forget(long upTo) {
        expected.headMap(upTo, true).clear();
    }

    private void forgetAfter(long index) {
        expected.tailMap(index, false).clear();
    }

    /** Copies the journal's files as they are now and checks the copy opens with exactly the expected entries. */
    private void crashAndCheck(Journal journal) throws IOException {
        Path copy = base.resolve("crash-" + crashes++);
        Path from = base.resolve("live").resolve(journal.name());
        Files.createDirectories(copy.resolve("j"));
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve("j").resolve(file.getFileName()));
            }
        }
        try (MappedJournalService service = env.service(copy, TestJournals.SMALL_NONE)) {
            Journal reopened = service.open("j");
            long last = expected.isEmpty() ? journal.lastIndex() : expected.lastKey();
            assertEquals(last, reopened.lastIndex(), "last index after a crash");
            if (!expected.isEmpty()) {
                assertEquals(expected.firstKey(), reopened.firstIndex(), "first index after a crash");
                try (EntryReader reader = reopened.openReader(expected.firstKey())) {
                    for (var entry : expected.entrySet()) {
                        assertArrayEquals(entry.getValue(), reader.read(Payloads.SIZED), "entry " + entry.getKey());
                    }
                    assertFalse(reader.read((index, term, payload) -> {}), "nothing after the last entry");
                }
            }
            assertEquals(last + 1, reopened.writer().append(1, Payloads.SIZED, Payloads.text("after the crash")));
        }
        deleteTree(copy);
    }

    /** The identities (inodes) of the journal's segment files. */
    private Set<Object> fileKeys(Journal journal) throws IOException {
        Set<Object> keys = new HashSet<>();
        for (Path segment : TestJournals.segmentFiles(base.resolve("live").resolve(journal.name()))) {
            keys.add(Files.readAttributes(segment, java.nio.file.attribute.BasicFileAttributes.class)
                    .fileKey());
        }
        return keys;
    }

    private static void deleteTree(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
