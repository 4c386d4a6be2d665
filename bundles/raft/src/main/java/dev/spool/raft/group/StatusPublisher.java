package dev.spool.raft.group;

import dev.spool.api.cluster.Membership;
import dev.spool.api.group.GroupRole;
import dev.spool.api.group.OutcomeUnknownException;
import dev.spool.api.group.ProposalCallback;
import dev.spool.raft.core.RaftCore;
import dev.spool.raft.pipeline.EntrySlot;
import dev.spool.raft.pipeline.SlotRing;
import java.util.Objects;

/**
 * Publishes a group's role, leader, term, commit index and membership for other threads ({@link GroupStatus}), and
 * acts on a change: the follower side of forwarding learns the leader, a deposed leader's proposers hear that their
 * entries' outcome is unknown, listeners hear the role.
 *
 * <p>Threads: the core agent only.
 */
final class StatusPublisher {

    private final String group;
    private final GroupStatus status;
    private final GroupEvents events;
    private final Forwarder<?> forwarder;
    private final SlotRing<Object, ProposalCallback> ring;

    StatusPublisher(String group, GroupStatus status, GroupEvents events, Forwarder<?> forwarder,
                    SlotRing<Object, ProposalCallback> ring) {
        this.group = group;
        this.status = status;
        this.events = events;
        this.forwarder = forwarder;
        this.ring = ring;
    }

    /** Publishes what the core says now; on a change tells listeners and fails orphaned proposals. */
    void publish(RaftCore core) {
        final GroupRole role = switch (core.role()) {
            case LEADER -> GroupRole.LEADER;
            case FOLLOWER -> GroupRole.FOLLOWER;
            case PRE_CANDIDATE, CANDIDATE -> GroupRole.CANDIDATE;
        };
        final GroupRole before = status.role;
        final long term = core.term();
        final String leader = core.leaderId();
        status.commitIndex = core.commitIndex();
        final Membership membership = core.membership();
        if (membership != status.membership) {
            status.membership = membership; // the core keeps one object per membership: a cheap identity check
        }
        if (role == before && term == status.term && Objects.equals(leader, status.leaderId)) {
            return;
        }
        status.term = term;
        status.leaderId = leader;
        status.role = role;
        forwarder.leaderChanged(term, leader);
        if (before == GroupRole.LEADER && role != GroupRole.LEADER) {
            failOrphanedProposals(core);
        }
        events.roleChanged(core, role, term, leader);
    }

    /** A deposed leader cannot tell whether its uncommitted entries will commit: their proposers hear so. */
    private void failOrphanedProposals(RaftCore core) {
        final long last = ring.accepted().get();
        for (long index = core.commitIndex() + 1; index <= last; index++) {
            final EntrySlot<Object, ProposalCallback> slot = ring.slot(index);
            final ProposalCallback callback = slot.callback();
            if (slot.index() == index && callback != null) {
                slot.fill(index, slot.term(), slot.kind(), slot.payload(), null, slot.sessionId(), slot.sequence(),
                    slot.encodedSize());
                callback.failed(new OutcomeUnknownException("group " + group + ": leadership was lost before entry "
                    + index + " committed"));
            }
        }
    }
}
