package dev.spool.raft.pipeline;

import java.util.Arrays;

/**
 * The voting members of a group's current membership, as slots: the local member, and peers by the index of their
 * {@code matched} sequence. A voter that does not count — a member whose log is suspect, because its unsynced
 * journal outlived a machine restart — still belongs to the membership, so it still raises the majority needed,
 * but its position never helps reach it. Mutable and reused: the core rebuilds it when the membership changes.
 *
 * <p>Core thread only.
 */
public final class VoterSet {

    private final int[] peerSlots;
    private final boolean[] peerCounts;
    private int peerCount;
    private boolean localVotes;
    private boolean localCounts;

    /**
     * Creates an empty set.
     *
     * @param maxPeers the most peers it can hold (the size of the group's {@code matched} array)
     */
    public VoterSet(int maxPeers) {
        this.peerSlots = new int[maxPeers];
        this.peerCounts = new boolean[maxPeers];
    }

    /** Removes every voter. */
    public void clear() {
        peerCount = 0;
        localVotes = false;
        localCounts = false;
    }

    /**
     * Makes the local member a voter.
     *
     * @param counts whether its flushed position counts toward a quorum
     */
    public void addLocal(boolean counts) {
        localVotes = true;
        localCounts = counts;
    }

    /**
     * Adds a voting peer.
     *
     * @param slot the index of the peer's {@code matched} sequence
     * @param counts whether its matched position counts toward a quorum
     * @throws IllegalArgumentException if the slot is negative, outside the capacity, or already present
     */
    public void addPeer(int slot, boolean counts) {
        if (slot < 0 || peerCount == peerSlots.length) {
            throw new IllegalArgumentException("cannot add peer slot " + slot + " to a voter set of "
                + peerCount + "/" + peerSlots.length + " peers");
        }
        for (int i = 0; i < peerCount; i++) {
            if (peerSlots[i] == slot) {
                throw new IllegalArgumentException("peer slot " + slot + " is already a voter");
            }
        }
        peerSlots[peerCount] = slot;
        peerCounts[peerCount] = counts;
        peerCount++;
    }

    /** @return the number of voters, counting or not */
    public int size() {
        return peerCount + (localVotes ? 1 : 0);
    }

    /** @return how many voters make a majority */
    public int majority() {
        return size() / 2 + 1;
    }

    boolean localVotes() {
        return localVotes;
    }

    boolean localCounts() {
        return localCounts;
    }

    int peerCount() {
        return peerCount;
    }

    int peerSlot(int i) {
        return peerSlots[i];
    }

    boolean peerCounts(int i) {
        return peerCounts[i];
    }

    @Override
    public String toString() {
        return "VoterSet[local=" + (localVotes ? (localCounts ? "counts" : "suspect") : "none")
            + ", peers=" + Arrays.toString(Arrays.copyOf(peerSlots, peerCount)) + "]";
    }
}
