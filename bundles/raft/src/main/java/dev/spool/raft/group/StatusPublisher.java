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
 * entries' outcome is unknown, listeners hear the role. It keeps the group's counters ({@link GroupCounters}): it
 * counts elections and leader changes from what it publishes, and publishes the proposals the core agent counts.
 *
 * <p>Threads: the core agent only.
 */
final class StatusPublisher {

    private final String group;
    private final GroupStatus status;
    private final GroupEvents events;
    private final Forwarder<?> forwarder;
    private final SlotRing<?, ProposalCallback> ring;

    /** Proposals accepted, over all starts: counted here, stored into the status once per publication. */
    private long proposals;
    /** The term of the last publication that looked for a campaign; -1 before the first. */
    private long campaignTerm = -1;
    /** The leader and term last counted as a leader change. */
    private String countedLeader;

    private long countedLeaderTerm;

    StatusPublisher(
            String group,
            GroupStatus status,
            GroupEvents events,
            Forwarder<?> forwarder,
            SlotRing<?, ProposalCallback> ring) {
        this.group = group;
        this.status = status;
        this.events = events;
        this.forwarder = forwarder;
        this.ring = ring;
        this.proposals = status.proposals;
    }

    /** Counts a proposal the core accepted into the log. */
    void proposalAccepted() {
        proposals++;
    }

    /** Counts a proposal refused busy on the core agent's thread. */
    void refusedBusy() {
        status.busyRefusals.increment();
    }

    /** Publishes what the core says now; on a change tells listeners and fails orphaned proposals. */
    /**
     * Publishes the core's commit index at once: called before {@code committed} moves, so that no member ever
     * reports an applied index above its commit index.
     */
    void commitMoved(RaftCore core) {
        status.commitIndex = core.commitIndex();
    }

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
        if (status.suspect != core.isSuspect()) {
            status.suspect = core.isSuspect();
        }
        if (status.proposals != proposals) {
            status.proposals = proposals;
        }
        final Membership membership = core.membership();
        if (membership != status.membership) {
            status.membership = membership; // the core keeps one object per membership: a cheap identity check
        }
        if (role == before && term == status.term && Objects.equals(leader, status.leaderId)) {
            return;
        }
        count(core, term, leader);
        status.term = term;
        status.leaderId = leader;
        status.role = role;
        forwarder.leaderChanged(term, leader);
        if (before == GroupRole.LEADER && role != GroupRole.LEADER) {
            failOrphanedProposals(core);
        }
        events.roleChanged(core, role, term, leader);
    }

    /**
     * Counts a campaign (a new term this member voted itself in: campaigns need an election timeout, one tick at
     * least, and a duty cycle ticks once, so none is missed) and a leader change. The first publication of a start
     * only notes the recovered term, whose vote is an earlier start's.
     */
    private void count(RaftCore core, long term, String leader) {
        if (campaignTerm < 0) {
            campaignTerm = term;
        } else if (term != campaignTerm) {
            campaignTerm = term;
            if (core.id().equals(core.votedFor())) {
                status.elections = status.elections + 1;
            }
        }
        if (leader != null && (term != countedLeaderTerm || !leader.equals(countedLeader))) {
            countedLeader = leader;
            countedLeaderTerm = term;
            status.leaderChanges = status.leaderChanges + 1;
        }
    }

    /** A deposed leader cannot tell whether its uncommitted entries will commit: their proposers hear so. */
    private void failOrphanedProposals(RaftCore core) {
        final long last = ring.accepted().get();
        for (long index = core.commitIndex() + 1; index <= last; index++) {
            final EntrySlot<?, ProposalCallback> slot = ring.slot(index);
            final ProposalCallback callback = slot.callback();
            if (slot.index() == index && callback != null) {
                slot.dropCallback();
                Callbacks.failed(
                        group,
                        callback,
                        new OutcomeUnknownException(
                                "group " + group + ": leadership was lost before entry " + index + " committed"));
            }
        }
    }
}
