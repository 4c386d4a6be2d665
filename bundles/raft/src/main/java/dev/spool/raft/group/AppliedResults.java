package dev.spool.raft.group;

import dev.spool.api.group.RaftGroupException;

/**
 * The results of the latest entries this member applied, by index, so a proposal forwarded to the leader completes
 * with the result this member's own state machine computed for it (deterministic, so the leader's too): results
 * are application objects and do not travel. A ring of the group's slot capacity, without allocation.
 *
 * <p>Threads: the apply agent {@link #record}s before it publishes {@code applied}; the core agent reads an index
 * at or below the {@code applied} it saw. The core agent writes {@code committed}, beyond which the apply agent never
 * goes: while {@code committed} is less than a ring's length past the index, the entry's position cannot be
 * overwritten during the read.
 */
final class AppliedResults {

    /** Recorded for a session's proposal the apply agent refused rather than applied: the failure to report. */
    record Refused(RaftGroupException error) {}

    private final long[] indexes;
    private final Object[] results;
    private final int mask;

    /** @param capacity the number of results kept, a power of two */
    AppliedResults(int capacity) {
        this.indexes = new long[capacity];
        this.results = new Object[capacity];
        this.mask = capacity - 1;
    }

    /** Apply agent: entry {@code index} was applied with {@code result}. */
    void record(long index, Object result) {
        final int at = (int) (index & mask);
        indexes[at] = index;
        results[at] = result;
    }

    /**
     * Core agent: the result of applying {@code index}, at or below the applied index it saw.
     *
     * @param committed the committed index the core agent published, which bounds how far the apply agent goes
     * @return the result, or {@code null} if it was not recorded or has been overwritten since
     */
    Object resultOf(long index, long committed) {
        final int at = (int) (index & mask);
        return committed - index < indexes.length && indexes[at] == index ? results[at] : null;
    }
}
