package dev.spool.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spool.api.spi.journal.EntryReader;
import dev.spool.api.spi.journal.RawRecords;
import dev.spool.journal.internal.SegmentedJournal;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour 4: when the journal forces. */
class DurabilityTest {
    @TempDir
    Path base;

    final TestJournals env = new TestJournals();

    @Test
    @DisplayName("NONE never forces, not at flush points, not when rolling")
    void noneNeverForces() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            SegmentedJournal journal = (SegmentedJournal) service.open("j");
            for (int i = 1; i <= 200; i++) {
                journal.writer().append(1, Payloads.SIZED, Payloads.payload(i, 1000));
                journal.writer().flush();
            }
            assertEquals(200, journal.writer().flush());
            assertEquals(0, journal.forceCount());
        }
    }

    @Test
    @DisplayName("SYNC forces only at flush points, once for all appends since the last (group commit), rolls included")
    void syncGroupCommit() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_SYNC)) {
            SegmentedJournal journal = (SegmentedJournal) service.open("j");
            for (int i = 1; i <= 200; i++) {
                journal.writer().append(1, Payloads.UNSIZED, Payloads.payload(i, 1000));
            }
            assertEquals(0, journal.forceCount(), "appends and rolls never force");
            assertEquals(200, journal.writer().flush());
            assertEquals(1, journal.forceCount(), "one force covers 200 appends over several segments");
        }
    }

    @Test
    @DisplayName("always-durable appends, and raw records carrying the durable flag, force whatever the level")
    void durableRecordsForce() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            SegmentedJournal leader = (SegmentedJournal) service.open("leader");
            leader.writer().append(1, Payloads.SIZED, Payloads.text("a"));
            leader.writer().appendDurable(1, Payloads.SIZED, Payloads.text("membership"));
            assertEquals(1, leader.forceCount());

            SegmentedJournal follower = (SegmentedJournal) service.open("follower");
            try (EntryReader reader = leader.openReader(1)) {
                RawRecords plain = reader.readRaw(1, 0);
                follower.writer().appendRaw(plain.buffer());
                plain.release();
                assertEquals(0, follower.forceCount(), "a plain raw record is not forced under NONE");
                RawRecords durable = reader.readRaw(1, 0);
                follower.writer().appendRaw(durable.buffer());
                durable.release();
                assertEquals(1, follower.forceCount(), "a raw record with the durable flag is forced");
            }
        }
    }
}
