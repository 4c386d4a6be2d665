package dev.spool.raft.group;

import dev.spool.api.cluster.Member;
import dev.spool.api.group.GroupRole;
import dev.spool.api.group.NotLeaderException;
import dev.spool.api.group.OutcomeUnknownException;
import dev.spool.api.group.ReadCallback;
import dev.spool.api.group.RoleListener;
import dev.spool.raft.core.RaftCore;
import dev.spool.raft.core.Role;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The requests of a running group that wait for the core rather than for an entry slot: read barriers, a membership
 * change, a leadership transfer, snapshots asked for by an operator, and the role listeners. Deadlines are counted
 * in ticks.
 *
 * <p>Threads: the core agent only (other threads reach it through the group's request queue).
 */
final class GroupEvents {

    /** A read barrier waiting for its confirmation. */
    private record PendingRead(ReadCallback callback, long deadlineTick) {}

    private final String group;
    private final Map<Long, PendingRead> reads = new HashMap<>();
    /** The group's listeners, which outlive this start: changed on this thread or while no start runs. */
    private final List<RoleListener> listeners;

    private long nextReadId;
    private long ticks;

    private long changeIndex;
    private long changeTerm;
    private CompletableFuture<Long> change;

    private String transferTarget;
    private long transferDeadline;
    private CompletableFuture<Void> transfer;

    /** Operators' snapshot requests, answered when the apply agent reports the snapshot asked for. */
    private final List<CompletableFuture<Long>> snapshots = new ArrayList<>();

    GroupEvents(String group, List<RoleListener> listeners) {
        this.group = group;
        this.listeners = listeners;
    }

    void tick(RaftCore core) {
        ticks++;
        if (!reads.isEmpty()) {
            for (Iterator<PendingRead> it = reads.values().iterator(); it.hasNext(); ) {
                final PendingRead read = it.next();
                if (read.deadlineTick() <= ticks) {
                    it.remove();
                    Callbacks.failed(
                            group,
                            read.callback(),
                            new OutcomeUnknownException(
                                    "group " + group + ": the read barrier did not pass before its deadline"));
                }
            }
        }
        if (transfer != null && ticks >= transferDeadline) {
            transfer.completeExceptionally(new OutcomeUnknownException(
                    "group " + group + ": leadership transfer to " + transferTarget + " did not finish in time"));
            transfer = null;
        }
        if (change != null && core.commitIndex() >= changeIndex) {
            // The leader that proposed the change, still leading in its term, holds its own entry there; otherwise
            // the log tells whose entry committed, unless a snapshot compacted it away before this tick looked.
            if ((core.role() == Role.LEADER && core.term() == changeTerm)
                    || (core.hasTerm(changeIndex) && core.termAt(changeIndex) == changeTerm)) {
                change.complete(changeIndex);
            } else if (!core.hasTerm(changeIndex)) {
                change.completeExceptionally(new OutcomeUnknownException("group " + group + ": membership change at "
                        + changeIndex + " committed, but a snapshot compacted its entry before it could be told apart"
                        + " from another leader's"));
            } else {
                change.completeExceptionally(new OutcomeUnknownException("group " + group + ": membership change at "
                        + changeIndex + " was replaced by another leader's entry"));
            }
            change = null;
        }
    }

    void readBarrier(RaftCore core, long timeoutTicks, ReadCallback callback) {
        final long id = ++nextReadId;
        if (!core.readIndex(id)) {
            Callbacks.failed(group, callback, new NotLeaderException(group, core.leaderId()));
            return;
        }
        reads.put(id, new PendingRead(callback, ticks + Math.max(1, timeoutTicks)));
    }

    void readConfirmed(long id, long readIndex) {
        final PendingRead read = reads.remove(id);
        if (read != null) {
            Callbacks.readable(group, read.callback(), readIndex);
        }
    }

    void changeMembership(RaftCore core, dev.spool.api.cluster.Membership next, CompletableFuture<Long> result) {
        final long index;
        try {
            index = core.proposeMembership(next);
        } catch (IllegalArgumentException e) {
            result.completeExceptionally(e);
            return;
        }
        if (index == 0) {
            result.completeExceptionally(
                    core.role() == Role.LEADER
                            ? new dev.spool.api.group.BusyException(
                                    "group " + group + ": another membership change is pending,"
                                            + " or this leader has not committed an entry of its term yet")
                            : new NotLeaderException(group, core.leaderId()));
            return;
        }
        change = result;
        changeIndex = index;
        changeTerm = core.term();
    }

    void transferLeadership(RaftCore core, String target, CompletableFuture<Void> result, long timeoutTicks) {
        if (!core.transferLeadership(target)) {
            // the core refuses for one of two reasons: this member does not lead, or the target is itself or not a
            // voter (the caller's mistake, not a role)
            result.completeExceptionally(
                    core.role() != Role.LEADER
                            ? new NotLeaderException(group, core.leaderId())
                            : new IllegalArgumentException("group " + group + ": cannot hand leadership"
                                    + " to " + target + ": the voters other than the leader " + core.id() + " are "
                                    + core.membership().voters().stream()
                                            .map(Member::id)
                                            .filter(id -> !id.equals(core.id()))
                                            .toList()));
            return;
        }
        transfer = result;
        transferTarget = target;
        transferDeadline = ticks + timeoutTicks;
    }

    void snapshot(RaftCore core, CompletableFuture<Long> result) {
        if (core.requestSnapshot()) {
            snapshots.add(result);
        } else {
            result.complete(core.snapshotIndex()); // nothing applied since the latest snapshot
        }
    }

    /**
     * Answers the snapshot requests once the apply agent reported a snapshot.
     *
     * @param index the snapshot's last index, 0 if taking it failed
     */
    void snapshotTaken(long index) {
        if (snapshots.isEmpty()) {
            return;
        }
        for (int i = 0; i < snapshots.size(); i++) {
            if (index > 0) {
                snapshots.get(i).complete(index);
            } else {
                snapshots
                        .get(i)
                        .completeExceptionally(new dev.spool.api.group.StorageUnavailableException(
                                "group " + group + ": taking the snapshot failed (the member's log names the cause)"));
            }
        }
        snapshots.clear();
    }

    void addListener(RaftCore core, GroupRole role, RoleListener listener) {
        listeners.add(listener);
        Callbacks.roleChanged(group, listener, role, core.term(), core.leaderId());
    }

    void roleChanged(RaftCore core, GroupRole role, long term, String leader) {
        for (int i = 0; i < listeners.size(); i++) {
            Callbacks.roleChanged(group, listeners.get(i), role, term, leader);
        }
        if (transfer != null && role == GroupRole.FOLLOWER && transferTarget.equals(leader)) {
            transfer.complete(null);
            transfer = null;
        }
        if (role != GroupRole.LEADER) {
            failReads(core);
            if (change != null && core.commitIndex() < changeIndex) {
                change.completeExceptionally(new OutcomeUnknownException("group " + group
                        + ": leadership was lost before the membership change at " + changeIndex + " committed"));
                change = null;
            }
        }
    }

    private void failReads(RaftCore core) {
        if (reads.isEmpty()) {
            return;
        }
        for (PendingRead read : reads.values()) {
            Callbacks.failed(group, read.callback(), new NotLeaderException(group, core.leaderId()));
        }
        reads.clear();
    }

    /** Fails everything pending: the group stops. */
    void stopped(dev.spool.api.group.RaftGroupException reason) {
        for (PendingRead read : reads.values()) {
            Callbacks.failed(group, read.callback(), reason);
        }
        reads.clear();
        if (change != null) {
            change.completeExceptionally(reason);
            change = null;
        }
        if (transfer != null) {
            transfer.completeExceptionally(reason);
            transfer = null;
        }
        for (int i = 0; i < snapshots.size(); i++) {
            snapshots.get(i).completeExceptionally(reason);
        }
        snapshots.clear();
    }
}
