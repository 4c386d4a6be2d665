package dev.spool.raft.core;

import dev.spool.api.cluster.Membership;
import dev.spool.api.raft.MembershipEntry;
import java.util.List;
import java.util.Objects;

/**
 * What a member recovered from storage when its core starts.
 *
 * @param term the persisted term (0 for a new member)
 * @param votedFor the persisted vote in that term, or {@code null}
 * @param snapshotIndex the last index covered by the latest stored snapshot, 0 if none
 * @param snapshotTerm the term of that entry, 0 if none
 * @param snapshotBytes the size of that snapshot
 * @param membership the membership of the snapshot, or, without a snapshot, the configured bootstrap membership
 *     (used only because the log is then empty of membership entries or entirely)
 * @param logMemberships the membership-change entries in the log after the snapshot, in index order (the actor
 *     finds them from the entry kinds in the payload envelopes)
 * @param suspectLog whether the log is suspect: a {@code NONE} journal that outlived a machine restart
 */
public record InitialState(long term, String votedFor, long snapshotIndex, long snapshotTerm, long snapshotBytes,
                           Membership membership, List<MembershipEntry> logMemberships, boolean suspectLog) {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if a value is negative
     */
    public InitialState {
        Objects.requireNonNull(membership, "membership");
        logMemberships = List.copyOf(logMemberships);
        if (term < 0 || snapshotIndex < 0 || snapshotTerm < 0 || snapshotBytes < 0) {
            throw new IllegalArgumentException("negative term, index or size in initial state");
        }
    }

    /**
     * Returns the state of a new member of a group bootstrapped with {@code membership}.
     *
     * @param membership the configured initial members
     * @return the state
     */
    public static InitialState bootstrap(Membership membership) {
        return new InitialState(0, null, 0, 0, 0, membership, List.of(), false);
    }
}
