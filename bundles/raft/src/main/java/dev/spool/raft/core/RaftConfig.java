package dev.spool.raft.core;

import java.util.Objects;

/**
 * The tuning of one member's Raft core. Time is counted in ticks of the driver's clock.
 *
 * @param memberId this member's id
 * @param electionTicks the election timeout: a follower campaigns after a random {@code electionTicks ..
 *     2 * electionTicks - 1} ticks without hearing from a leader, a leader steps down if a quorum has not answered it
 *     within this many ticks, a leadership transfer is abandoned after it
 * @param heartbeatTicks how often a leader sends heartbeats; below {@code electionTicks}
 * @param maxEntriesPerMessage the most entries one AppendEntries names
 * @param maxBytesPerMessage the most record bytes one AppendEntries names (at least one entry is always sent)
 * @param maxInflightMessages the most AppendEntries in flight to one follower (the pipelining window)
 * @param maxInflightBytes the most record bytes in flight to one follower
 * @param maxUncommittedEntries the most entries a leader holds beyond its commit index before it refuses proposals
 * @param snapshotChunkBytes the size of an InstallSnapshot chunk
 * @param snapshotIntervalEntries how many applied entries past the last snapshot make the core ask for a new one
 * @param entriesKeptBehindSnapshot how many entries before a snapshot's index stay in the log for slow followers
 */
public record RaftConfig(
        String memberId,
        int electionTicks,
        int heartbeatTicks,
        int maxEntriesPerMessage,
        long maxBytesPerMessage,
        int maxInflightMessages,
        long maxInflightBytes,
        int maxUncommittedEntries,
        int snapshotChunkBytes,
        long snapshotIntervalEntries,
        long entriesKeptBehindSnapshot) {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming the value that is out of range
     */
    public RaftConfig {
        Objects.requireNonNull(memberId, "memberId");
        positive("electionTicks", electionTicks);
        positive("heartbeatTicks", heartbeatTicks);
        if (heartbeatTicks >= electionTicks) {
            throw new IllegalArgumentException(
                    "heartbeatTicks (" + heartbeatTicks + ") must be below electionTicks (" + electionTicks + ")");
        }
        positive("maxEntriesPerMessage", maxEntriesPerMessage);
        positive("maxBytesPerMessage", maxBytesPerMessage);
        positive("maxInflightMessages", maxInflightMessages);
        positive("maxInflightBytes", maxInflightBytes);
        positive("maxUncommittedEntries", maxUncommittedEntries);
        positive("snapshotChunkBytes", snapshotChunkBytes);
        positive("snapshotIntervalEntries", snapshotIntervalEntries);
        if (entriesKeptBehindSnapshot < 0) {
            throw new IllegalArgumentException(
                    "entriesKeptBehindSnapshot must not be negative: " + entriesKeptBehindSnapshot);
        }
    }

    /**
     * Returns a configuration with defaults suited to a tick of about 10 ms.
     *
     * @param memberId this member's id
     * @return the configuration
     */
    public static RaftConfig defaults(String memberId) {
        return new RaftConfig(memberId, 10, 1, 256, 1 << 20, 8, 8 << 20, 4096, 1 << 20, 10_000, 1_000);
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
