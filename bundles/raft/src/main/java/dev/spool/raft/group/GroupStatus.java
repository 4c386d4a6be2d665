package dev.spool.raft.group;

import dev.spool.api.cluster.Membership;
import dev.spool.api.group.GroupRole;

/**
 * What other threads may read about a running group: the core agent publishes it after every batch of work.
 *
 * <p>Threads: written by the core agent (and by the group when it starts or stops); read by any thread.
 */
final class GroupStatus {

    volatile GroupRole role = GroupRole.UNAVAILABLE;
    volatile String leaderId;
    volatile long term;
    volatile long commitIndex;
    volatile Membership membership;

    /** @return the leader to name in a refusal, or {@code null} */
    String knownLeader() {
        final String leader = leaderId;
        return role == GroupRole.UNAVAILABLE ? null : leader;
    }
}
