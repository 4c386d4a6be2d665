package dev.spool.raft.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.raft.group.SteppedCluster.Node;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records from a peer that do not pass their checks — a record length that cannot be, a checksum that does not
 * match, a payload larger than this member's journal takes — are refused: the member stays available, tells the
 * leader how far it matches, and takes the records when they come sound.
 */
@org.junit.jupiter.api.Timeout(60)
class BadPeerInputTest {

    /** Offsets within a record (docs/journal-format.md). */
    private static final int LENGTH = 4;

    private static final int PAYLOAD = 28;

    @TempDir
    Path directory;

    private SteppedCluster cluster;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Sends a few entries to a follower whose next {@code sends} AppendEntries are damaged; checks it survives. */
    private void survives(int sends, Consumer<ByteBuffer> damage) throws Exception {
        cluster = new SteppedCluster(directory, 64, LocalStorage.SMALL_SEGMENTS, settings -> settings);
        final Node leader = cluster.awaitLeader(null);
        final Node follower = cluster.other(leader);
        cluster.network.damageRecordsTo(follower.id(), sends, damage);
        final var outcomes = new Outcomes();
        for (int i = 0; i < 5; i++) {
            leader.group().propose(new byte[] {(byte) i, 1, 2, 3}, 0, TimeUnit.NANOSECONDS, outcomes);
        }
        cluster.steps(100);
        assertEquals(5, outcomes.applied.get(), cluster.describe());
        assertTrue(follower.group().isAvailable(), "the follower stays available: " + cluster.describe());
        assertEquals(
                leader.group().commitIndex(),
                follower.group().appliedIndex(),
                "the follower took the records once they came sound: " + cluster.describe());
    }

    @Test
    @DisplayName("a record length of zero is refused, not walked")
    void zeroLength() throws Exception {
        survives(3, records -> records.putInt(records.position() + LENGTH, 0));
    }

    @Test
    @DisplayName("a negative record length is refused, not walked")
    void negativeLength() throws Exception {
        survives(3, records -> records.putInt(records.position() + LENGTH, -100));
    }

    @Test
    @DisplayName("a record length past the records is refused")
    void lengthPastTheEnd() throws Exception {
        survives(3, records -> records.putInt(records.position() + LENGTH, Integer.MAX_VALUE));
    }

    @Test
    @DisplayName("a record whose checksum does not match is refused before the log task sees it")
    void checksumMismatch() throws Exception {
        survives(
                3,
                records -> records.put(
                        records.position() + PAYLOAD, (byte) (records.get(records.position() + PAYLOAD) ^ 1)));
    }

    @Test
    @DisplayName("an entry larger than this member's journal takes is refused; the member stays available")
    void entryLargerThanThisJournalTakes() throws Exception {
        // m1 takes payloads of at most 1 KiB; with this cluster's fixed seed another member leads.
        final var small =
                new dev.spool.api.spi.journal.JournalSpec(dev.spool.api.group.Durability.NONE, 64 << 10, 1 << 10);
        cluster = new SteppedCluster(
                directory,
                64,
                member -> member.equals("m1") ? small : LocalStorage.SMALL_SEGMENTS,
                settings -> settings);
        final Node leader = cluster.awaitLeader(null);
        final Node follower = cluster.nodes.get(0);
        assertTrue(leader != follower, "m1 follows in this seeded run: " + cluster.describe());
        final var outcomes = new Outcomes();
        leader.group().propose(new byte[] {1}, 0, TimeUnit.NANOSECONDS, outcomes);
        leader.group().propose(new byte[4 << 10], 0, TimeUnit.NANOSECONDS, outcomes);
        cluster.steps(100);
        assertEquals(2, outcomes.applied.get(), "the other follower makes the quorum: " + cluster.describe());
        assertTrue(follower.group().isAvailable(), "the follower stays available: " + cluster.describe());
        assertEquals(
                leader.group().commitIndex() - 1,
                follower.group().appliedIndex(),
                "the follower took the entry before the one it refuses: " + cluster.describe());
    }
}
