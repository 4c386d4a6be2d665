package dev.spool.raft.group;

import dev.spool.api.cluster.Membership;
import dev.spool.api.group.GroupRole;
import dev.spool.raft.pipeline.Counter;

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
    /** Whether the core regards the log as suspect. */
    volatile boolean suspect;

    /**
     * Counters over all the group's starts. The core agent (one at a time) is their only writer: it counts proposals in
     * a plain field and stores the sum here once per duty cycle ({@link StatusPublisher}), so the per-entry path has
     * no atomic operation; elections and leader changes are rare and stored as they happen.
     */
    volatile long proposals;

    volatile long elections;
    volatile long leaderChanges;
    /** Proposals refused busy, counted by whichever thread refuses them (callers, the core agent, the transport). */
    final Counter busyRefusals = new Counter("busyRefusals");

    /** @return the leader to name in a refusal, or {@code null} */
    String knownLeader() {
        final String leader = leaderId;
        return role == GroupRole.UNAVAILABLE ? null : leader;
    }
}
