package dev.spool.raft.group;

import dev.spool.api.group.ProposalCallback;
import dev.spool.api.spi.journal.EntryWriter;
import dev.spool.api.spi.journal.Journal;
import dev.spool.api.spi.journal.RecordDescriptor;
import dev.spool.api.spi.journal.StorageExhaustedException;
import dev.spool.raft.core.EntryKind;
import dev.spool.raft.pipeline.Agent;
import dev.spool.raft.pipeline.EntrySlot;
import dev.spool.raft.pipeline.EpochSequence;
import dev.spool.raft.pipeline.NanoClock;
import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * The log task: follows {@code accepted} and writes the accepted entries to the journal — created entries encoded
 * through the {@link EntryEnvelope} straight into the mapped segment, records received from a leader appended raw —
 * then flushes once for the whole batch (group commit) and publishes {@code flushed}. It executes the truncations
 * (before it writes anything of the new epoch) and compactions the core asks for. It is the journal's only writer.
 *
 * <p>It releases the peer bytes it wrote (received records, a forwarded proposal's payload) once written, and those
 * of slots a truncation dropped once it follows the truncation's epoch: only then is it sure not to read them.
 *
 * <p>Threads: one agent thread.
 *
 * @param <T> the application's payload type
 */
final class LogAgent<T> implements Agent {

    /** The most entries written per duty cycle: one flush covers them. */
    private static final int BATCH = 4096;

    private static final long FIRST_BACKOFF_NANOS = 10_000_000;
    private static final long MAX_BACKOFF_NANOS = 1_000_000_000;
    private static final System.Logger LOG = System.getLogger(LogAgent.class.getName());

    private final String name;
    private final Pipeline<T> pipeline;
    private final Journal journal;
    private final EntryWriter writer;
    private final EntryEnvelope<T> envelope;
    private final GroupFailure failure;
    private final NanoClock clock;
    /** While the journal is out of space: when to try again; 0 otherwise. */
    private long retryAt;

    private long backoffNanos = FIRST_BACKOFF_NANOS;
    /** The slot being written, copied so that a refill by the core after a truncation cannot tear it. */
    private final EntrySlot<T, ProposalCallback> copy = new EntrySlot<>();
    /** The epoch of {@code accepted} this agent's writes belong to. */
    private long epoch;

    private long written;
    private long compacted;
    /** Whether the journal's persisted suspect flag is known to be clear. */
    private boolean suspectCleared;

    LogAgent(GroupContext<T> context) {
        this.name = context.group + "/log";
        this.clock = context.clock;
        this.pipeline = context.pipeline;
        this.journal = context.journal;
        this.writer = journal.writer();
        this.envelope = context.envelope;
        this.failure = context.failure;
        this.written = journal.lastIndex();
        this.epoch = pipeline.ring.accepted().epoch();
        this.suspectCleared = !journal.isSuspect();
    }

    @Override
    public int doWork() throws IOException {
        if (failure.failed() || (retryAt != 0 && clock.nanoTime() - retryAt < 0)) {
            return 0;
        }
        try {
            final int work = followEpoch() + compact() + write() + clearSuspect();
            if (retryAt != 0) {
                retryAt = 0;
                backoffNanos = FIRST_BACKOFF_NANOS;
                pipeline.journalFullChanges.set(pipeline.journalFullChanges.get() + 1); // even: takes entries
                LOG.log(System.Logger.Level.INFO, name + ": the journal " + journal.name() + " takes entries again");
            }
            return work;
        } catch (StorageExhaustedException e) {
            // Not fatal: compaction, or an operator, frees space. Entries wait in their slots, which push back on
            // intake; nothing acknowledged is lost. The member votes and serves reads; it does not lead (a leader
            // steps down) or campaign, so the group goes on through the others.
            if (retryAt == 0) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        name + ": the journal " + journal.name() + " is out of space;"
                                + " appends are retried with a backoff of up to " + MAX_BACKOFF_NANOS / 1_000_000
                                + " ms; this"
                                + " member does not lead or campaign until they succeed",
                        e);
                pipeline.journalFullChanges.set(pipeline.journalFullChanges.get() + 1); // odd: full
            }
            retryAt = clock.nanoTime() + backoffNanos;
            backoffNanos = Math.min(2 * backoffNanos, MAX_BACKOFF_NANOS);
            return 0;
        }
    }

    /** Any other failure to write the journal fails the group. */
    @Override
    public void onError(Exception error) {
        failure.fail(name + " failed writing the journal " + journal.name(), error);
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
        pipeline.releaseDropped(current); // nothing of the epochs before is written any more
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
        if (suspectCleared || pipeline.logTrusted.get() == 0) {
            return 0;
        }
        journal.clearSuspect();
        suspectCleared = true;
        return 1;
    }

    private int compact() throws IOException {
        final long before = pipeline.compactBefore.get();
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
            if (!copySlot(index)) {
                break; // the core truncated and may be refilling: the next cycle follows the new epoch first
            }
            final EntrySlot<T, ProposalCallback> slot = copy;
            if (slot.index() != index) {
                throw new IllegalStateException(
                        name + ": slot of accepted entry " + index + " holds entry " + slot.index());
            }
            switch (slot.form()) {
                case RECORDS -> count += appendRaw(index, slot);
                case OBJECTS, FORWARDED -> {
                    append(index, slot);
                    count++;
                }
            }
        }
        copy.clear(); // no payload outlives its write here
        writer.flush();
        pipeline.flushedTerm(written, journal.termAt(written)); // what the journal holds, not what was asked
        pipeline.flushed.advance(epoch, written);
        pipeline.coreSignal.signal();
        return count;
    }

    /**
     * Copies the slot of {@code index}, then checks that no truncation began meanwhile: after one the core refills
     * slots this agent may be reading, so a copy is used only if the epoch it read after the fields is still its own.
     */
    private boolean copySlot(long index) {
        copy.copyWithoutCallback(pipeline.ring.slot(index));
        VarHandle.acquireFence(); // the field reads before the epoch read (the core fences its side)
        return pipeline.ring.accepted().epoch() == epoch;
    }

    /** Appends a created entry; a forwarded proposal's bytes, written as they arrived, are released after. */
    private void append(long index, EntrySlot<T, ProposalCallback> slot) throws IOException {
        final long appended;
        try {
            appended = slot.kind() == EntryKind.MEMBERSHIP
                    ? writer.appendDurable(slot.term(), envelope, slot)
                    : writer.append(slot.term(), envelope, slot);
        } catch (StorageExhaustedException e) {
            throw e; // the bytes stay with their slot for the retry
        } catch (IOException | RuntimeException e) {
            slot.releaseBytes();
            throw e;
        }
        slot.releaseBytes();
        if (appended != index) {
            throw new IllegalStateException(
                    name + ": journal " + journal.name() + " appended entry " + index + " at index " + appended);
        }
        written = index;
    }

    /**
     * Appends the records a leader sent, from {@code index} on: the core accepted them as one range and narrowed the
     * buffer to it, after {@link RecordCheck} verified their checksums, which the journal therefore does not compute
     * again. The journal checks that the first record is entry {@code index}.
     */
    private int appendRaw(long index, EntrySlot<T, ProposalCallback> slot) throws IOException {
        final ByteBuffer buffer = slot.records().buffer();
        // Records the journal took before it ran out of space on an earlier try are not appended again.
        for (long taken = writer.nextIndex() - index; taken > 0; taken--) {
            buffer.position(buffer.position() + RecordDescriptor.length(buffer, buffer.position()));
        }
        final long appended;
        try {
            appended = writer.appendRawVerified(buffer);
        } catch (StorageExhaustedException e) {
            throw e; // the records stay with their slots: the retry starts at index again and skips what was taken
        } catch (IOException | RuntimeException e) {
            slot.releaseBytes();
            throw e;
        }
        slot.releaseBytes();
        if (appended < index) {
            throw new IllegalStateException(name + ": journal " + journal.name() + " appended no record of the"
                    + " received entries from " + index);
        }
        written = appended;
        return (int) (written - index + 1);
    }

    @Override
    public String roleName() {
        return name;
    }
}
