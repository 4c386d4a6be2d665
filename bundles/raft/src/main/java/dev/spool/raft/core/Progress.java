package dev.spool.raft.core;

/**
 * What a leader knows of one follower's log, and the window of AppendEntries in flight to it.
 *
 * <p>In {@link State#PROBE} the leader sends one message and waits for its answer to find where the logs match;
 * in {@link State#REPLICATE} it streams messages optimistically, up to the window; in {@link State#SNAPSHOT} it
 * sends snapshot chunks, one at a time: the next once the follower answers, the same again only after a timeout.
 */
final class Progress {

    enum State {
        PROBE,
        REPLICATE,
        SNAPSHOT
    }

    final String memberId;
    long match;
    long next;
    State state = State.PROBE;
    /** In PROBE: a probe is out and unanswered. In SNAPSHOT: a chunk is out and unanswered. */
    boolean waiting;
    /** Whether the follower answered during the current check-quorum period. */
    boolean recentActive;
    /** Whether the follower reports a suspect log. */
    boolean suspect;
    /** The highest read-index heartbeat context the follower answered in this term. */
    long ackedContext;
    /** The highest commit index sent to the follower in this term. */
    long commitSent;
    /**
     * Heartbeat intervals since the follower last made progress while messages were in flight, or (in SNAPSHOT)
     * since the chunk in flight was sent.
     */
    int ticksWithoutProgress;

    /** The snapshot being sent: its last index, and the offset the follower acknowledged. */
    long snapshotIndex;

    long snapshotOffset;

    private final long[] inflightLast;
    private final long[] inflightBytes;
    private int inflightHead;
    private int inflightCount;
    private long bytesInFlight;

    Progress(String memberId, int window, long next) {
        this.memberId = memberId;
        this.inflightLast = new long[window];
        this.inflightBytes = new long[window];
        this.next = next;
    }

    boolean windowFull(long maxBytes) {
        return inflightCount == inflightLast.length || bytesInFlight >= maxBytes;
    }

    boolean hasInflight() {
        return inflightCount > 0;
    }

    void addInflight(long last, long bytes) {
        final int slot = (inflightHead + inflightCount) % inflightLast.length;
        inflightLast[slot] = last;
        inflightBytes[slot] = bytes;
        inflightCount++;
        bytesInFlight += bytes;
    }

    /** Frees the window slots of the messages acknowledged by a match of {@code index}. */
    void freeInflightUpTo(long index) {
        while (inflightCount > 0 && inflightLast[inflightHead] <= index) {
            bytesInFlight -= inflightBytes[inflightHead];
            inflightHead = (inflightHead + 1) % inflightLast.length;
            inflightCount--;
        }
    }

    void becomeProbe() {
        state = State.PROBE;
        next = match + 1;
        waiting = false;
        clearInflight();
    }

    void becomeReplicate() {
        state = State.REPLICATE;
        next = match + 1;
        waiting = false;
        clearInflight();
    }

    void becomeSnapshot(long index) {
        state = State.SNAPSHOT;
        snapshotIndex = index;
        snapshotOffset = 0;
        waiting = false;
        clearInflight();
    }

    /** Records a match; returns whether it advanced. */
    boolean updateMatch(long index) {
        ticksWithoutProgress = 0;
        if (index <= match) {
            return false;
        }
        match = index;
        next = Math.max(next, index + 1);
        freeInflightUpTo(index);
        return true;
    }

    private void clearInflight() {
        inflightHead = 0;
        inflightCount = 0;
        bytesInFlight = 0;
        ticksWithoutProgress = 0;
    }
}
