package dev.spool.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spool.api.spi.journal.Journal;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a journal tells operators about its size on disk and the space left above its free-space floor. */
class JournalFootprintTest {
    @TempDir
    Path base;

    final TestJournals env = new TestJournals();

    @Test
    @DisplayName("segment count and bytes follow rolls and compaction")
    void sizeFollowsRollsAndCompaction() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            Journal journal = service.open("j");
            assertEquals(1, journal.segmentCount());
            assertEquals(64 << 10, journal.sizeBytes());
            int appended = 0;
            while (TestJournals.segmentFiles(base.resolve("j")).size() < 3) {
                journal.writer().append(1, Payloads.SIZED, Payloads.payload(++appended, 3000));
            }
            assertEquals(3, journal.segmentCount());
            assertEquals(3 * (64 << 10), journal.sizeBytes());
            journal.compactBefore(journal.lastIndex());
            assertEquals(1, journal.segmentCount(), "compaction deleted the two older segments");
            assertEquals(64 << 10, journal.sizeBytes());
        }
    }

    @Test
    @DisplayName("the space above the floor is the file system's usable space less the floor")
    void spaceAboveFloor() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            Journal journal = service.open("j");
            env.usableBytes.set(5 << 20);
            assertEquals((5 << 20) - (1 << 20), journal.spaceAboveFloor());
            env.usableBytes.set(1000);
            assertEquals(1000 - (1 << 20), journal.spaceAboveFloor(), "negative below the floor");
        }
    }
}
