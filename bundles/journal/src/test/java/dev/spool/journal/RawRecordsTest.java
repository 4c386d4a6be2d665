package dev.spool.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spool.api.spi.journal.CorruptJournalException;
import dev.spool.api.spi.journal.EntryReader;
import dev.spool.api.spi.journal.Journal;
import dev.spool.api.spi.journal.RawRecords;
import dev.spool.api.spi.journal.RejectedRecordsException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Raw records: what a leader sends and a follower appends without decoding. */
class RawRecordsTest {
    @TempDir
    Path base;

    final TestJournals env = new TestJournals();

    @Test
    @DisplayName("readRaw from journal A then appendRaw into B gives identical entries, byte for byte")
    void rawRoundTrip() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_SYNC)) {
            Journal leader = service.open("a");
            for (long i = 1; i <= 300; i++) {
                if (i % 50 == 0) {
                    leader.writer().appendDurable(i / 10, Payloads.SIZED, Payloads.payload(i, 500));
                } else {
                    leader.writer().append(i / 10, Payloads.SIZED, Payloads.payload(i, 100 + (int) i * 3));
                }
            }
            Journal follower = service.open("b");
            try (EntryReader reader = leader.openReader(1)) {
                RawRecords batch;
                while ((batch = reader.readRaw(17, 8000)) != null) {
                    try {
                        assertEquals(follower.writer().nextIndex(), batch.firstIndex());
                        assertEquals(batch.lastIndex(), follower.writer().appendRaw(batch.buffer()));
                        assertEquals(leader.termAt(batch.lastIndex()), batch.lastTerm());
                    } finally {
                        batch.release();
                    }
                }
            }
            follower.writer().flush();
            assertEquals(300, follower.lastIndex());
            try (EntryReader a = leader.openReader(1);
                    EntryReader b = follower.openReader(1)) {
                for (long i = 1; i <= 300; i++) {
                    assertArrayEquals(a.read(Payloads.SIZED), b.read(Payloads.SIZED), "entry " + i);
                    assertEquals(leader.termAt(i), follower.termAt(i));
                }
            }
            leader.close();
            follower.close();
            // Same records, same offsets: the segments' bytes are identical apart from sizes of rolled tails.
            byte[] first = Files.readAllBytes(
                    TestJournals.segmentFiles(base.resolve("a")).get(0));
            byte[] copy = Files.readAllBytes(
                    TestJournals.segmentFiles(base.resolve("b")).get(0));
            assertArrayEquals(first, copy);
        }
    }

    @Test
    @DisplayName("corrupt or out-of-sequence raw records are refused and nothing is appended")
    void corruptRawRecordsAreRefused() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            Journal leader = service.open("a");
            for (long i = 1; i <= 10; i++) {
                leader.writer().append(1, Payloads.SIZED, Payloads.payload(i, 200));
            }
            Journal follower = service.open("b");
            ByteBuffer copy;
            try (EntryReader reader = leader.openReader(1);
                    RawRecords batch = reader.readRaw(10, 1 << 20)) {
                copy = ByteBuffer.allocate(batch.buffer().remaining())
                        .put(batch.buffer())
                        .flip();
            }
            ByteBuffer damaged =
                    ByteBuffer.allocate(copy.remaining()).put(copy.duplicate()).flip();
            damaged.put(5 * 228 + 40, (byte) (damaged.get(5 * 228 + 40) ^ 1)); // a payload byte of record 6
            RejectedRecordsException e = assertThrows(
                    RejectedRecordsException.class, () -> follower.writer().appendRaw(damaged));
            assertEquals(5 * 228, e.offset());
            assertEquals(6, e.index());
            assertEquals(
                    "journal b refused raw record 6 at offset 1140 of its batch, nothing appended: record"
                            + " checksum mismatch",
                    e.getMessage());
            assertEquals(0, follower.lastIndex(), "nothing appended, not even the good records before");

            ByteBuffer fromThree = copy.duplicate().position(2 * 228);
            assertThrows(
                    RejectedRecordsException.class,
                    () -> follower.writer().appendRaw(fromThree),
                    "the first record must carry the next index");
            assertEquals(0, follower.lastIndex());

            assertEquals(10, follower.writer().appendRaw(copy));
        }
    }

    @Test
    @DisplayName("appendRawVerified takes the caller's checksums on trust, keeps every other check, and a read finds"
            + " a wrong checksum")
    void verifiedRawRecordsSkipOnlyTheChecksum() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            Journal leader = service.open("a");
            for (long i = 1; i <= 10; i++) {
                leader.writer().append(1, Payloads.SIZED, Payloads.payload(i, 200));
            }
            Journal follower = service.open("b");
            ByteBuffer copy;
            try (EntryReader reader = leader.openReader(1);
                    RawRecords batch = reader.readRaw(10, 1 << 20)) {
                copy = ByteBuffer.allocate(batch.buffer().remaining())
                        .put(batch.buffer())
                        .flip();
            }
            ByteBuffer fromThree = copy.duplicate().position(2 * 228);
            assertThrows(
                    RejectedRecordsException.class,
                    () -> follower.writer().appendRawVerified(fromThree),
                    "the first record must still carry the next index");
            ByteBuffer zeroLength =
                    ByteBuffer.allocate(copy.remaining()).put(copy.duplicate()).flip();
            zeroLength.putInt(5 * 228 + 4, 0);
            assertThrows(
                    RejectedRecordsException.class,
                    () -> follower.writer().appendRawVerified(zeroLength),
                    "record lengths are still checked");
            assertEquals(0, follower.lastIndex());

            ByteBuffer damaged =
                    ByteBuffer.allocate(copy.remaining()).put(copy.duplicate()).flip();
            damaged.put(5 * 228 + 40, (byte) (damaged.get(5 * 228 + 40) ^ 1)); // a payload byte of record 6
            assertEquals(10, follower.writer().appendRawVerified(damaged), "the checksums are not computed again");
            try (EntryReader reader = follower.openReader(6)) {
                assertThrows(
                        CorruptJournalException.class,
                        () -> reader.read(Payloads.SIZED),
                        "the record's damage is found when it is read");
            }
        }
    }

    @Test
    @DisplayName("a raw reader opened in the active segment follows the writer's roll into the next segments")
    void rawReaderFollowsTheRoll() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            Journal journal = service.open("j");
            for (long i = 1; i <= 5; i++) {
                journal.writer().append(1, Payloads.SIZED, Payloads.payload(i, 3000));
            }
            try (EntryReader reader = journal.openReader(1)) {
                RawRecords first = reader.readRaw(2, 1 << 20);
                assertEquals(2, first.lastIndex());
                first.release();
                for (long i = 6; i <= 70; i++) { // rolls into the third segment
                    journal.writer().append(1, Payloads.SIZED, Payloads.payload(i, 3000));
                }
                long expected = 3;
                RawRecords batch;
                while ((batch = reader.readRaw(2, 1 << 20)) != null) {
                    try {
                        assertEquals(expected, batch.firstIndex());
                        expected = batch.lastIndex() + 1;
                    } finally {
                        batch.release();
                    }
                }
                assertEquals(71, expected, "every entry read, in order");
            }
        }
    }
}
