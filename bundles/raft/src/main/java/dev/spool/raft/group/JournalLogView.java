package dev.spool.raft.group;

import dev.spool.api.group.ProposalCallback;
import dev.spool.api.spi.journal.Journal;
import dev.spool.raft.core.LogView;
import dev.spool.raft.pipeline.EntrySlot;
import dev.spool.raft.pipeline.SlotRing;

/**
 * The core's view of a group's log: indexes and terms from the journal (read when the core starts), and sizes from
 * the slots of entries still in flight, or an estimate for entries only the journal holds (the journal keeps no
 * per-entry size that could be read without touching the records). Sizes only shape replication messages. The
 * room to append received entries is the free entry slots but one.
 *
 * <p>Threads: the core agent.
 */
final class JournalLogView implements LogView {

    /** The size assumed for an entry whose slot has been reused: an envelope and a small payload. */
    static final int ESTIMATED_ENTRY_BYTES = 64;
    /** Slots a follower keeps free of received entries: its own no-op's, should it be elected. */
    static final int FOLLOWER_RESERVED_SLOTS = 1;

    private final Journal journal;
    private final Pipeline<?> pipeline;
    private final SlotRing<?, ProposalCallback> ring;

    JournalLogView(Journal journal, Pipeline<?> pipeline) {
        this.journal = journal;
        this.pipeline = pipeline;
        this.ring = pipeline.ring;
    }

    @Override
    public long firstIndex() {
        return journal.firstIndex();
    }

    @Override
    public long lastIndex() {
        return journal.lastIndex();
    }

    @Override
    public long term(long index) {
        return journal.termAt(index);
    }

    @Override
    public long bytes(long first, long last) {
        long total = 0;
        for (long index = first; index <= last; index++) {
            final EntrySlot<?, ProposalCallback> slot = ring.slot(index);
            total += slot.index() == index && slot.encodedSize() > 0 ? slot.encodedSize() : ESTIMATED_ENTRY_BYTES;
        }
        return total;
    }

    /**
     * A slot is free once its entry is applied; intake is also held to the configured capacity. A follower takes
     * entries into the slots a leader keeps free of proposals ({@link GroupSettings#RESERVED_SLOTS}) too, all but one:
     * those hold what a leader creates itself, its no-op first, and a leader commits only entries of its own term
     * (§5.4.2); a follower that refused them while its slots are full of a deposed leader's uncommitted entries would
     * never let anything commit again. The one slot left is its own no-op's, should it be elected.
     */
    @Override
    public long appendLimit() {
        final long applied = pipeline.applied.get();
        return Math.min(applied + ring.capacity(), Math.max(applied, pipeline.recoveredUpTo) + pipeline.slotLimit)
                - FOLLOWER_RESERVED_SLOTS;
    }
}
