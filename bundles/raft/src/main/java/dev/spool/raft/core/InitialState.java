package dev.spool.raft.core;

import dev.spool.api.cluster.Membership;
import dev.spool.api.spi.raft.MembershipEntry;
import java.util.List;
import java.util.Objects;

/**
 * What a member recovered from storage when its core starts.
 *
 * @param term the persisted term (0 for a new member)
 * @param votedFor the persisted vote in that term, or {@code null}
 * @param logBaseIndex the index just before the first entry the log holds (0 if it holds everything from entry 1);
 *     at most {@code snapshotIndex}: a log may keep entries behind the snapshot, for slow followers
 * @param logBaseTerm the term of that entry, 0 if unknown (before entry 1, or compacted away)
 * @param snapshotIndex the last index covered by the latest stored snapshot, 0 if none
 * @param snapshotTerm the term of that entry, 0 if none
 * @param snapshotBytes the size of that snapshot
 * @param membership the membership of the snapshot, or, without a snapshot, the membership before the log's first
 *     entry (only an empty log, or one written before bootstrap membership entries, depends on it)
 * @param logMemberships the membership-change entries in the log after {@code logBaseIndex}, in index order (the
 *     actor finds them from the entry kinds in the payload envelopes)
 * @param suspectLog whether the log is suspect: a {@code NONE} journal that outlived a machine restart
 */
public record InitialState(
        long term,
        String votedFor,
        long logBaseIndex,
        long logBaseTerm,
        long snapshotIndex,
        long snapshotTerm,
        long snapshotBytes,
        Membership membership,
        List<MembershipEntry> logMemberships,
        boolean suspectLog) {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if a value is negative, or the log's base is after the snapshot
     */
    public InitialState {
        Objects.requireNonNull(membership, "membership");
        logMemberships = List.copyOf(logMemberships);
        if (term < 0
                || logBaseIndex < 0
                || logBaseTerm < 0
                || snapshotIndex < 0
                || snapshotTerm < 0
                || snapshotBytes < 0) {
            throw new IllegalArgumentException("negative term, index or size in initial state");
        }
        if (logBaseIndex > snapshotIndex) {
            throw new IllegalArgumentException(
                    "the log's base " + logBaseIndex + " is after the latest snapshot " + snapshotIndex);
        }
    }

    /**
     * Returns the state of a member whose log starts right after its latest snapshot.
     *
     * @param term the persisted term
     * @param votedFor the persisted vote, or {@code null}
     * @param snapshotIndex the snapshot's last index, 0 if none
     * @param snapshotTerm the snapshot's last term, 0 if none
     * @param snapshotBytes the snapshot's size
     * @param membership the snapshot's membership, or the bootstrap membership without a snapshot
     * @param logMemberships the membership-change entries after the snapshot
     * @param suspectLog whether the log is suspect
     * @return the state
     */
    public static InitialState atSnapshot(
            long term,
            String votedFor,
            long snapshotIndex,
            long snapshotTerm,
            long snapshotBytes,
            Membership membership,
            List<MembershipEntry> logMemberships,
            boolean suspectLog) {
        return new InitialState(
                term,
                votedFor,
                snapshotIndex,
                snapshotTerm,
                snapshotIndex,
                snapshotTerm,
                snapshotBytes,
                membership,
                logMemberships,
                suspectLog);
    }

    /**
     * Returns the state of a new member of a group bootstrapped with {@code membership}.
     *
     * @param membership the configured initial members
     * @return the state
     */
    public static InitialState bootstrap(Membership membership) {
        return atSnapshot(0, null, 0, 0, 0, membership, List.of(), false);
    }
}
