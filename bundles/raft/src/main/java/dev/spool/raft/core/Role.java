package dev.spool.raft.core;

/** The role a member plays in its current term. */
public enum Role {
    /** Follows a leader, or waits for one. */
    FOLLOWER,
    /** Asks for pre-votes without changing its term. */
    PRE_CANDIDATE,
    /** Campaigns for votes in a new term. */
    CANDIDATE,
    /** Leads its term. */
    LEADER
}
