package dev.spool.raft.pipeline;

import java.util.Arrays;

/**
 * Computes the highest index a majority of voters hold: the local {@code flushed} position and each voting peer's
 * {@code matched} position in the current epoch, the k-th largest for k a majority. The core publishes
 * {@code committed} only up to it (and only once that entry is of the current term, which is the core's rule).
 * Works in a scratch array of its own, so it allocates nothing.
 *
 * <p>Core thread only (one instance per group).
 */
public final class Quorum {

    private final long[] positions;

    /**
     * Creates a quorum calculator.
     *
     * @param maxVoters the most voters a membership may have, local member included
     */
    public Quorum(int maxVoters) {
        this.positions = new long[maxVoters];
    }

    /**
     * Returns the highest index held by a majority of the voters. A voter that does not count, and a peer whose
     * {@code matched} is from another epoch (an acknowledgement of an earlier term), holds nothing.
     *
     * @param voters the current voters
     * @param localFlushed the local member's {@code flushed} position
     * @param matched the {@code matched} sequences of the peers, by slot
     * @param epoch the epoch of {@code matched} values that count (the leader's term)
     * @return the agreed index, 0 if there is none
     * @throws IllegalArgumentException if {@code voters} is empty or larger than this calculator
     */
    public long agreedIndex(VoterSet voters, long localFlushed, EpochSequence[] matched, long epoch) {
        final int size = voters.size();
        if (size == 0 || size > positions.length) {
            throw new IllegalArgumentException("a quorum needs 1 to " + positions.length + " voters: " + voters);
        }
        int n = 0;
        if (voters.localVotes()) {
            positions[n++] = voters.localCounts() ? localFlushed : 0;
        }
        for (int i = 0; i < voters.peerCount(); i++) {
            positions[n++] = voters.peerCounts(i) ? matched[voters.peerSlot(i)].getInEpoch(epoch, 0) : 0;
        }
        Arrays.sort(positions, 0, n); // in place; allocation-free at membership sizes
        return positions[n - voters.majority()];
    }
}
