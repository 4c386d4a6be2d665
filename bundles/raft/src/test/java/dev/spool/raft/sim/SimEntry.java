package dev.spool.raft.sim;

import dev.spool.api.cluster.Membership;
import dev.spool.raft.core.EntryKind;

/**
 * One entry of a simulated journal. The object is created once by the leader that appends it and then travels by
 * reference, so identity is the entry's identity: the safety checks compare references.
 *
 * @param index the entry's index
 * @param term the entry's term
 * @param kind what it is
 * @param op the client operation of a normal entry, or {@code null}
 * @param membership the membership of a membership entry, or {@code null}
 * @param previous the entry before it in the log of the leader that created it ({@code null} at a snapshot base):
 *     the log matching check follows it
 */
public record SimEntry(long index, long term, EntryKind kind, KvOp op, Membership membership, SimEntry previous) {

    @Override
    public String toString() {
        return index + "@" + term + ":" + kind + (op == null ? "" : "#" + op.historyId());
    }
}
