package dev.spool.raft.group;

import dev.spool.api.group.ProposalCallback;
import dev.spool.api.spi.journal.RawRecords;
import dev.spool.raft.pipeline.EntrySlot;
import dev.spool.raft.pipeline.EpochSequence;
import dev.spool.raft.pipeline.Sequence;
import dev.spool.raft.pipeline.SlotRing;
import dev.spool.raft.pipeline.WakeSignal;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pointers and slots one running group's agents share. Each pointer has exactly one writer:
 * <ul>
 *   <li>{@code accepted} (in the {@link #ring}): the core agent — entries whose slots are filled;</li>
 *   <li>{@link #flushed}: the log agent — entries written to the journal and flushed by its durability, in the
 *   epoch of {@code accepted} it last saw (a follower's truncation starts a new epoch);</li>
 *   <li>{@link #committed}: the core agent — entries the apply agent may apply ({@code min(commit, flushed)});</li>
 *   <li>{@link #applied}: the apply agent — entries applied to the state machine, whose slots are free again.</li>
 * </ul>
 * The ring holds the configured number of slots for new entries plus, after a restart, one per entry recovered from
 * the journal and not yet applied: those slots stay empty (the apply agent reads such entries from the journal),
 * but counting them keeps the ring's arithmetic simple — a slot is free once its entry is applied — and lets a
 * leader append its no-op however long the recovered tail. {@link #slotLimit} keeps intake to the configured
 * capacity.
 * Rare requests cross between agents as single-writer sequences too: a compaction point and the end of a suspect log
 * for the log agent, snapshot requests for the apply agent and its answers back (each answer's fields published by
 * the answer's sequence, as slots are by {@code accepted}); a truncation point, which the log agent takes, crosses
 * in an atomic field.
 * The wake signals are set once the agents are placed on their threads (until then an agent is woken by its park
 * timeout).
 *
 * @param <T> the application's payload type
 */
final class Pipeline<T> {

    final SlotRing<T, ProposalCallback> ring;
    final EpochSequence flushed;
    final Sequence committed;
    final Sequence applied;
    /** The configured capacity: the most entries accepted beyond {@link #recoveredUpTo} and not yet applied. */
    final int slotLimit;
    /** The last entry recovered from the journal at start. */
    final long recoveredUpTo;
    /** Apply agent writes: what the latest applied entries returned, for forwarded proposals. */
    final AppliedResults results;

    /**
     * Log agent writes: the term the journal holds at an index {@link #flushed} was advanced to, by index modulo the
     * ring's capacity, stored before the advance that publishes it; the core reports it with the flush, so that a
     * report about entries a truncation replaced is recognised by the core.
     */
    private final long[] flushedTerms;

    /**
     * The lowest truncation point the log agent has not executed yet; {@link Long#MAX_VALUE} if none. Not a sequence:
     * the log agent takes it (resets it) as it follows the truncation's epoch, so both sides write it, atomically.
     */
    final AtomicLong pendingTruncation = new AtomicLong(Long.MAX_VALUE);
    /** Core agent writes: the journal may drop entries below it. */
    final Sequence compactBefore;
    /**
     * Core agent writes, once, 0 to 1: the core no longer regards the log as suspect (it caught up with a current
     * leader), so the log agent may clear the journal's persisted suspect flag.
     */
    final Sequence logTrusted;
    /**
     * Log agent writes: how often the journal changed between taking entries and being out of space (an append
     * failed for lack of it and none succeeded since), so odd while it is full; the core agent reports it to the core,
     * which does not lead or campaign while full.
     */
    final Sequence journalFullChanges;
    /** Core agent writes: how many snapshots it asked for. */
    final Sequence snapshotRequests;
    /**
     * Apply agent writes: how many snapshot requests it answered; its release store publishes
     * {@link #snapshotTakenIndex()} and {@link #snapshotTakenBytes()} of the latest answer.
     */
    final Sequence snapshotsAnswered;

    private long snapshotTakenIndex;
    private long snapshotTakenBytes;

    /**
     * Peer bytes held by slots a truncation dropped, oldest first, each with the epoch the truncation began: the log
     * agent releases them once it follows that epoch, when it no longer writes any slot of the epochs before.
     */
    private final Queue<Dropped> dropped = new ConcurrentLinkedQueue<>();

    /** A copy of a dropped slot that holds peer bytes, and the epoch after which nothing reads them. */
    private record Dropped(long epoch, EntrySlot<?, ?> held) {}

    volatile WakeSignal coreSignal = () -> {};
    volatile WakeSignal logSignal = () -> {};
    volatile WakeSignal applySignal = () -> {};

    Pipeline(String group, int capacity, long lastIndex, long appliedIndex) {
        this.applied = new Sequence(group + ".applied", appliedIndex);
        this.slotLimit = capacity;
        this.results = new AppliedResults(capacity);
        this.recoveredUpTo = lastIndex;
        final long recovered = lastIndex - appliedIndex;
        if (recovered > (1 << 28)) {
            throw new IllegalStateException(group + ": " + recovered + " entries after the latest snapshot are too"
                    + " many to recover (at most " + (1 << 28) + ")");
        }
        this.ring =
                new SlotRing<>(group, Integer.highestOneBit((int) (capacity + recovered - 1)) << 1, lastIndex, applied);
        this.flushed = new EpochSequence(group + ".flushed", 0, lastIndex);
        this.flushedTerms = new long[ring.capacity()];
        this.committed = new Sequence(group + ".committed", appliedIndex);
        this.compactBefore = new Sequence(group + ".compactBefore", 0);
        this.logTrusted = new Sequence(group + ".logTrusted", 0);
        this.journalFullChanges = new Sequence(group + ".journalFullChanges", 0);
        this.snapshotRequests = new Sequence(group + ".snapshotRequests", 0);
        this.snapshotsAnswered = new Sequence(group + ".snapshotsAnswered", 0);
    }

    /**
     * Apply agent: answers the snapshot requests up to {@code requests} with the snapshot it took.
     *
     * @param requests the requests seen
     * @param index the snapshot's last index, 0 if no snapshot resulted
     * @param bytes its size
     */
    void answerSnapshots(long requests, long index, long bytes) {
        snapshotTakenIndex = index;
        snapshotTakenBytes = bytes;
        snapshotsAnswered.set(requests);
    }

    /** Core agent, after reading {@link #snapshotsAnswered}: the last index of the snapshot it answers with. */
    long snapshotTakenIndex() {
        return snapshotTakenIndex;
    }

    /** Core agent, after reading {@link #snapshotsAnswered}: the size of that snapshot. */
    long snapshotTakenBytes() {
        return snapshotTakenBytes;
    }

    /** Log agent: records the term the journal holds at {@code index}, before {@link #flushed} moves to it. */
    void flushedTerm(long index, long term) {
        flushedTerms[(int) (index & (flushedTerms.length - 1))] = term;
    }

    /** Core agent: the term the log agent wrote at {@code index}, read after {@link #flushed} showed it. */
    long flushedTermOf(long index) {
        return flushedTerms[(int) (index & (flushedTerms.length - 1))];
    }

    /**
     * Core agent, before a truncation after {@code index} begins a new epoch of {@code accepted}: hands the peer
     * bytes the dropped slots hold (received records, forwarded payloads: {@link EntrySlot.Form}) to the log agent,
     * which may still be writing them; a later claim overwrites the slots.
     *
     * @param index the truncation point
     * @param last the last accepted entry
     */
    void dropAfter(long index, long last) {
        final long epoch = ring.accepted().epoch() + 1;
        RawRecords previous = null;
        for (long i = index + 1; i <= last; i++) {
            final EntrySlot<T, ProposalCallback> slot = ring.slot(i);
            if (slot.index() != i
                    || slot.form() == EntrySlot.Form.OBJECTS
                    || slot.records() != null && slot.records() == previous) {
                continue; // consecutive slots may share one view of records
            }
            previous = slot.records();
            final var held = new EntrySlot<T, ProposalCallback>();
            held.copyWithoutCallback(slot);
            dropped.add(new Dropped(epoch, held));
        }
    }

    /**
     * Log agent, once it follows {@code epoch}, or the thread stopping the group ({@link Long#MAX_VALUE}): releases
     * what truncations up to that epoch dropped.
     *
     * @param epoch the epoch the caller follows; nothing of an earlier one is read any more
     * @return how many were released
     */
    int releaseDropped(long epoch) {
        int count = 0;
        Dropped next;
        while ((next = dropped.peek()) != null && next.epoch() <= epoch) {
            dropped.poll();
            next.held().releaseBytes();
            count++;
        }
        return count;
    }
}
