package dev.spool.api.group;

/** The role a member of a group plays, as the application sees it. */
public enum GroupRole {
    /**
     * Follows a leader, or waits for one. Proposals and read barriers go to the leader when it is known and the
     * group forwards (its default); otherwise they are refused with {@link NotLeaderException}.
     */
    FOLLOWER,
    /** Campaigns (pre-vote or vote) for leadership: no leader is known, so proposals are refused. */
    CANDIDATE,
    /** Leads the group: proposals and reads are served here. */
    LEADER,
    /**
     * Cannot serve: a storage service (journal, snapshot store) is missing, or the group failed to recover. Proposals
     * fail at once with {@link StorageUnavailableException}.
     */
    UNAVAILABLE
}
