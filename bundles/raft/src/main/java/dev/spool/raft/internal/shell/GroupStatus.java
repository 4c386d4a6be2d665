package dev.spool.raft.internal.shell;

import dev.spool.api.group.GroupRole;
import dev.spool.api.group.RaftGroup;

/**
 * One line of {@code spool:groups}: what a {@link RaftGroup} reports about itself. The values are read one after the
 * other, not atomically: a line taken during an election may mix two terms.
 *
 * @param group the group's name
 * @param member this member's id
 * @param role this member's role
 * @param leader the leader this member knows of, {@code null} if none
 * @param term the current term
 * @param commit the highest index known committed
 * @param applied the highest index applied
 */
record GroupStatus(String group, String member, GroupRole role, String leader, long term, long commit,
                   long applied) {

    /**
     * Reads a group's status.
     *
     * @param group the group
     * @return its status now
     */
    static GroupStatus of(RaftGroup<?> group) {
        return new GroupStatus(group.name(), group.memberId(), group.role(), group.leaderId().orElse(null),
            group.term(), group.commitIndex(), group.appliedIndex());
    }
}
