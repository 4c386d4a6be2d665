package dev.spool.raft.group;

import dev.spool.api.group.OutcomeUnknownException;
import dev.spool.api.group.ProposalCallback;
import dev.spool.api.spi.journal.RawRecords;
import dev.spool.api.spi.journal.RecordDescriptor;
import dev.spool.api.spi.journal.TermStore;
import dev.spool.raft.core.EntryKind;
import dev.spool.raft.core.LogCommand;
import dev.spool.raft.core.RaftCore;
import dev.spool.raft.core.Ready;
import dev.spool.raft.pipeline.EntrySlot;
import dev.spool.raft.pipeline.SlotRing;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The storage part of the core's Readies, and the log agent's acknowledgements back: persists term and vote; fills
 * the slots of the entries the core appends (a client's proposal is filled as it is drained, {@link #claim}) and
 * publishes them as {@code accepted} for the log agent; hands truncations and compactions to it; tells it once the
 * log is trusted again; reports to the core how far the log agent flushed. It is the slot ring's producer.
 *
 * <p>Threads: the core agent only.
 *
 * @param <T> the application's payload type
 */
final class StorageCommands<T> {

    private final String name;
    private final String group;
    private final Pipeline<T> pipeline;
    private final SlotRing<T, ProposalCallback> ring;
    private final TermStore terms;
    /** The last entry whose slot is filled; published as {@code accepted} once the Ready is executed. */
    private long lastAccepted;
    /** The last flush reported to the core, in the epoch of {@code accepted}. */
    private long flushedReported;

    StorageCommands(GroupContext<T> context) {
        this.name = context.group + "/core";
        this.group = context.group;
        this.pipeline = context.pipeline;
        this.ring = pipeline.ring;
        this.terms = context.terms;
        this.lastAccepted = ring.accepted().get();
        this.flushedReported = lastAccepted;
    }

    /** @return the last entry reported flushed to the core: a leader sends entries up to it */
    long flushed() {
        return flushedReported;
    }

    /** Reports the log agent's flush to the core if it moved; returns 1 if it did. */
    int reportFlushed(RaftCore core) {
        final long flushed = pipeline.flushed.getInEpoch(ring.accepted().epoch(), -1);
        if (flushed <= flushedReported) {
            return 0;
        }
        flushedReported = flushed;
        core.flushed(flushed, pipeline.flushedTermOf(flushed));
        return 1;
    }

    /** @return the slots free for new entries, within the ring and the configured capacity */
    long freeSlots() {
        final long applied = pipeline.applied.get();
        final long inRing = ring.capacity() - (lastAccepted - applied);
        final long inLimit = pipeline.slotLimit - (lastAccepted - Math.max(applied, pipeline.recoveredUpTo));
        return Math.min(inRing, inLimit);
    }

    /** Persists the Ready's term and vote if they changed, before anything that depends on them is sent. */
    void persistHardState(Ready ready) throws IOException {
        if (ready.hardStateChanged()) {
            terms.update(ready.term(), ready.votedFor());
        }
    }

    /** Claims the slot of the next entry, {@code index}, which the core just appended. */
    EntrySlot<T, ProposalCallback> claim(long index) {
        final long claimed = ring.tryClaim();
        if (claimed != index) {
            throw new IllegalStateException(name + ": the slot ring handed out " + claimed + " for entry " + index
                    + " (ring full or out of step with the log)");
        }
        return ring.slot(index);
    }

    /** Accepts entries the core created: a client's were filled as drained; a no-op or membership entry is here. */
    void appendCreated(LogCommand command) {
        for (long index = command.firstIndex(); index <= command.lastIndex(); index++) {
            if (command.kind() == EntryKind.NORMAL) {
                if (ring.slot(index).index() != index) {
                    throw new IllegalStateException(name + ": proposed entry " + index + " has no filled slot");
                }
            } else {
                claim(index).fillCreated(index, command.term(), command.kind(), command.membership());
            }
        }
        lastAccepted = command.lastIndex();
    }

    /**
     * Accepts records a leader sent: their slots carry the records, which the log agent appends raw and then
     * releases; the caller no longer owns them.
     */
    void appendReceived(LogCommand command, RawRecords records) {
        enclose(records, command.firstIndex(), command.lastIndex());
        for (long index = command.firstIndex(); index <= command.lastIndex(); index++) {
            claim(index).fillReceived(index, command.term(), records);
        }
        lastAccepted = command.lastIndex();
    }

    /**
     * Narrows the records' buffer to the records {@code first .. last}, the part of the message the core appends
     * (this member may hold a prefix already). Walks the record headers, which {@link RecordCheck} checked.
     */
    private static void enclose(RawRecords records, long first, long last) {
        final ByteBuffer buffer = records.buffer();
        int position = buffer.position();
        for (long index = records.firstIndex(); index < first; index++) {
            position += RecordDescriptor.length(buffer, position);
        }
        int end = position;
        for (long index = first; index <= last; index++) {
            end += RecordDescriptor.length(buffer, end);
        }
        buffer.limit(end).position(position);
    }

    /**
     * Drops the entries after {@code index}. Their proposers hear that the outcome is unknown here, now: a leader
     * deposed and truncated in one duty cycle would otherwise lose them, since the step-down's cleanup only sees the
     * slots up to the new {@code accepted}.
     */
    void truncate(long index) {
        for (long dropped = index + 1; dropped <= lastAccepted; dropped++) {
            final EntrySlot<T, ProposalCallback> slot = ring.slot(dropped);
            final ProposalCallback callback = slot.callback();
            if (slot.index() == dropped && callback != null) {
                slot.dropCallback();
                Callbacks.failed(
                        group,
                        callback,
                        new OutcomeUnknownException("group " + group + ": entry " + dropped + " was"
                                + " replaced by another leader's entry"));
            }
        }
        pipeline.dropAfter(index, lastAccepted); // the log agent releases the peer bytes of the dropped slots
        pipeline.pendingTruncation.accumulateAndGet(index, Math::min);
        ring.truncateAfter(index);
        lastAccepted = index;
        flushedReported = Math.min(flushedReported, index); // what follows is flushed anew, in the new epoch
        pipeline.logSignal.signal();
    }

    /** Lets the log agent compact the journal below {@code firstKept}. */
    void compact(long firstKept) {
        pipeline.compactBefore.set(firstKept);
        pipeline.logSignal.signal();
    }

    /** Publishes the slots the Ready filled as {@code accepted}, for the log agent. */
    void publishAccepted() {
        if (ring.accepted().get() < lastAccepted) {
            ring.publish(lastAccepted);
            pipeline.logSignal.signal();
        }
    }

    /** Tells the log agent, once, that the core trusts the log again: it may clear the journal's suspect flag. */
    void trustLogOnceCaughtUp(RaftCore core) {
        if (pipeline.logTrusted.get() == 0 && !core.isSuspect()) {
            pipeline.logTrusted.set(1);
            pipeline.logSignal.signal();
        }
    }
}
