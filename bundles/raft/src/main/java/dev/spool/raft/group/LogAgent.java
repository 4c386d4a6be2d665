package dev.spool.raft.group;

import dev.spool.api.group.ProposalCallback;
import dev.spool.api.journal.EntryWriter;
import dev.spool.api.journal.Journal;
import dev.spool.api.journal.RawRecords;
import dev.spool.raft.pipeline.Agent;
import dev.spool.raft.pipeline.EntrySlot;
import dev.spool.raft.pipeline.EpochSequence;
import java.io.IOException;

/**
 * The log task: follows {@code accepted} and writes the accepted entries to the journal — created entries encoded
 * through the {@link EntryEnvelope} straight into the mapped segment, records received from a leader appended raw —
 * then flushes once for the whole batch (group commit) and publishes {@code flushed}. It executes the truncations
 * (before it writes anything of the new epoch) and compactions the core asks for. It is the journal's only writer.
 *
 * <p>Threads: one agent thread.
 */
final class LogAgent implements Agent {

    /** The most entries written per duty cycle: one flush covers them. */
    private static final int BATCH = 4096;

    private final String name;
    private final Pipeline pipeline;
    private final Journal journal;
    private final EntryWriter writer;
    private final EntryEnvelope<?> envelope;
    private final GroupFailure failure;
    /** The epoch of {@code accepted} this agent's writes belong to. */
    private long epoch;
    private long written;
    private long compacted;
    /** Whether the journal's persisted suspect flag is known to be clear. */
    private boolean suspectCleared;

    LogAgent(String group, Pipeline pipeline, Journal journal, EntryEnvelope<?> envelope, GroupFailure failure) {
        this.name = group + "/log";
        this.pipeline = pipeline;
        this.journal = journal;
        this.writer = journal.writer();
        this.envelope = envelope;
        this.failure = failure;
        this.written = journal.lastIndex();
        this.epoch = pipeline.ring.accepted().epoch();
        this.suspectCleared = !journal.isSuspect();
    }

    @Override
    public int doWork() {
        if (failure.failed()) {
            return 0;
        }
        try {
            return followEpoch() + compact() + write() + clearSuspect();
        } catch (IOException | RuntimeException e) {
            failure.fail(name + " failed writing the journal " + journal.name(), e);
            return 0;
        }
    }

    /** Executes a truncation the core made, before anything of its new epoch is written. */
    private int followEpoch() throws IOException {
        final long current = pipeline.ring.accepted().epoch();
        if (current == epoch) {
            return 0;
        }
        final long point = pipeline.pendingTruncation.getAndSet(Long.MAX_VALUE);
        if (point < written) {
            journal.truncateAfter(point);
            written = point;
        }
        epoch = current;
        final EpochSequence flushed = pipeline.flushed;
        flushed.beginEpoch(current, Math.min(flushed.get(), written));
        return 1;
    }

    /**
     * Clears the journal's suspect flag once the core trusts the log again. The flag outlives process restarts on
     * purpose: a member that lost unforced entries in a machine crash must not vote again until it caught up, even if
     * its process restarts meanwhile.
     */
    private int clearSuspect() throws IOException {
        if (suspectCleared || !pipeline.logTrusted) {
            return 0;
        }
        journal.clearSuspect();
        suspectCleared = true;
        return 1;
    }

    private int compact() throws IOException {
        final long before = pipeline.compactBefore;
        if (before <= compacted) {
            return 0;
        }
        journal.compactBefore(before);
        compacted = before;
        return 1;
    }

    private int write() throws IOException {
        final long target = pipeline.ring.accepted().getInEpoch(epoch, -1);
        if (target <= written) {
            return 0; // nothing new, or a new epoch that the next cycle follows first
        }
        final long last = Math.min(target, written + BATCH);
        int count = 0;
        while (written < last) {
            final long index = written + 1;
            final EntrySlot<Object, ProposalCallback> slot = pipeline.ring.slot(index);
            if (slot.index() != index) {
                throw new IllegalStateException(name + ": slot of accepted entry " + index + " holds entry "
                    + slot.index());
            }
            if (slot.payload() instanceof RawRecords records) {
                count += appendRaw(index, records);
            } else {
                append(index, slot);
                count++;
            }
        }
        writer.flush();
        pipeline.flushed.advance(epoch, written);
        pipeline.coreSignal.signal();
        return count;
    }

    private void append(long index, EntrySlot<Object, ProposalCallback> slot) throws IOException {
        final long appended = slot.kind() == EntrySlot.KIND_MEMBERSHIP
            ? writer.appendDurable(slot.term(), envelope, slot)
            : writer.append(slot.term(), envelope, slot);
        if (appended != index) {
            throw new IllegalStateException(name + ": journal " + journal.name() + " appended entry " + index
                + " at index " + appended);
        }
        written = index;
    }

    /**
     * Appends the records a leader sent, from {@code index} on: the core accepted them as one range and narrowed the
     * buffer to it. The journal checks that the first record is entry {@code index}.
     */
    private int appendRaw(long index, RawRecords records) throws IOException {
        try {
            final long appended = writer.appendRaw(records.buffer());
            if (appended < index) {
                throw new IllegalStateException(name + ": journal " + journal.name() + " appended no record of the"
                    + " received entries from " + index);
            }
            written = appended;
            return (int) (written - index + 1);
        } finally {
            records.release();
        }
    }

    @Override
    public String roleName() {
        return name;
    }
}
