package dev.spool.raft.internal.jmx;

import java.util.Map;

/**
 * One Raft group on this member, registered as {@code dev.spool:type=RaftGroup,name=<group>}. The values are read
 * one after the other, not atomically; the journal and follower values come from one reading of the group's core,
 * reused for half a second so that a client reading every attribute asks the core once.
 */
public interface RaftGroupMXBean {

    /** @return the group's name */
    String getGroup();

    /** @return this member's id */
    String getMemberId();

    /** @return LEADER, FOLLOWER, CANDIDATE or UNAVAILABLE */
    String getRole();

    /** @return the leader this member knows of, empty if none */
    String getLeader();

    /** @return whether this member leads the group (the role as a number for metrics) */
    boolean isLeading();

    /** @return the current term */
    long getTerm();

    /** @return the highest index known committed */
    long getCommitIndex();

    /** @return the highest index applied to the state machine */
    long getAppliedIndex();

    /** @return on the leader, each follower's highest index known replicated; empty on any other member */
    Map<String, Long> getFollowerMatchIndex();

    /** @return on the leader, how many entries of its journal each follower is missing; empty elsewhere */
    Map<String, Long> getFollowerLag();

    /** @return the last index of the latest snapshot, 0 if none */
    long getLastSnapshotIndex();

    /** @return the first index the journal holds */
    long getJournalFirstIndex();

    /** @return the last index the journal holds */
    long getJournalLastIndex();

    /** @return the bytes of the journal's segment files */
    long getJournalBytes();

    /** @return the journal's segment files */
    int getJournalSegments();

    /** @return the journal's durability, NONE or SYNC; empty while the group does not run */
    String getDurability();

    /** @return proposals this member accepted into its log as leader, since it created the group */
    long getProposals();

    /** @return proposals refused with a retryable busy error */
    long getBusyRefusals();

    /** @return campaigns this member started */
    long getElections();

    /** @return times this member learned of a new leader */
    long getLeaderChanges();

    /** @return whether this member serves the group */
    boolean isHealthy();

    /** @return why it does not serve the group, one line; empty when healthy */
    String getHealthCause();

    /**
     * Hands leadership to another voting member; on the leader only.
     *
     * @param target the member to lead
     * @throws IllegalStateException naming why the transfer did not happen
     */
    void transferLeadership(String target);

    /**
     * Takes a snapshot now, at the index this member applied, and compacts the journal behind it as the group's own
     * snapshots do.
     *
     * @return the snapshot's last index
     * @throws IllegalStateException naming why no snapshot was taken
     */
    long takeSnapshot();
}
