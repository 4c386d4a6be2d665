package dev.spool.raft.pipeline;

import java.lang.invoke.VarHandle;

/**
 * A group's preallocated ring of {@link EntrySlot}s, indexed by entry index modulo a power-of-two capacity, with
 * the {@code accepted} pointer that publishes them.
 *
 * <p>A slot is free again once the entry it held is <em>applied</em>: the leader applies its own payload objects
 * from the slot, and the apply task trails every other reader of a slot (it applies up to
 * {@code min(committed, flushed)}, so the log task has written the entry before), while replication reads entries
 * from the journal, not from the slots. A claim therefore succeeds only while {@code claimed - applied < capacity};
 * otherwise it fails fast with {@link #BUSY}: the producer (the core agent) stops draining the intake, whose clients
 * wait there, so nothing queues without limit.
 *
 * <p>Threads: one producer at a time (the core agent: claim, fill, publish, truncate); any task reads
 * {@link #slot} for indices it has seen published in {@link #accepted()}; the apply task clears slots and moves
 * {@code applied}.
 *
 * @param <P> the type of the payload objects clients propose
 * @param <C> the type of the completion callbacks clients pass
 */
public final class SlotRing<P, C> {

    /** What a claim returns when no slot is free: the proposal may be retried later. */
    public static final long BUSY = -1;

    private final EntrySlot<P, C>[] slots;
    private final long mask;
    private final EpochSequence accepted;
    private final Sequence applied;

    /** Producer only: the last index handed out by a claim. */
    private long claimed;
    /** Producer only: the last value read from {@code applied}, re-read only when it says the ring is full. */
    private long cachedApplied;

    /**
     * Creates a ring and all its slots.
     *
     * @param name the group's name, for errors
     * @param capacity the number of slots, a power of two
     * @param lastIndex the last index of the log: the next claim returns {@code lastIndex + 1}
     * @param applied the apply task's pointer, which frees slots
     * @throws IllegalArgumentException if {@code capacity} is not a positive power of two, or {@code applied} is
     *     ahead of {@code lastIndex}
     */
    @SuppressWarnings("unchecked") // an array of a generic type is created raw
    public SlotRing(String name, int capacity, long lastIndex, Sequence applied) {
        if (capacity <= 0 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException(
                    name + ": slot capacity must be a positive power of two, not " + capacity);
        }
        if (applied.get() > lastIndex) {
            throw new IllegalArgumentException(
                    name + ": applied " + applied.get() + " is ahead of the last index " + lastIndex);
        }
        this.slots = new EntrySlot[capacity];
        for (int i = 0; i < capacity; i++) {
            slots[i] = new EntrySlot<>();
        }
        this.mask = capacity - 1;
        this.accepted = new EpochSequence(name + ".accepted", 0, lastIndex);
        this.applied = applied;
        this.claimed = lastIndex;
        this.cachedApplied = applied.get();
    }

    /**
     * Claims the slot of the next index, or fails fast. Producer only.
     *
     * @return the claimed index, or {@link #BUSY} if every slot holds an entry not yet applied
     */
    public long tryClaim() {
        if (!hasFreeSlot()) {
            return BUSY;
        }
        return ++claimed;
    }

    private boolean hasFreeSlot() {
        final long next = claimed + 1;
        if (next - cachedApplied <= slots.length) {
            return true;
        }
        cachedApplied = applied.get();
        return next - cachedApplied <= slots.length;
    }

    /**
     * Returns the slot for an index. The producer calls it for an index it claimed; other tasks for an index they
     * have seen published in {@link #accepted()} and that is not yet applied.
     *
     * @param index an entry index
     * @return the slot that index maps to
     */
    public EntrySlot<P, C> slot(long index) {
        return slots[(int) (index & mask)];
    }

    /**
     * Publishes the claimed entries up to {@code index}: moves {@code accepted}, making the filled slots visible to
     * the tasks that read it. Producer only; the caller then signals the tasks that follow {@code accepted}.
     *
     * @param index the last index to publish, at most the last claimed one
     * @throws IllegalArgumentException if {@code index} was not claimed, or is below {@code accepted}
     */
    public void publish(long index) {
        if (index > claimed) {
            throw new IllegalArgumentException(
                    accepted.name() + ": cannot publish " + index + ", claimed only up to " + claimed);
        }
        if (!accepted.advance(accepted.epoch(), index)) {
            throw new IllegalArgumentException(
                    accepted.name() + ": cannot publish " + index + " below " + accepted.get());
        }
    }

    /**
     * Drops the entries after {@code index} (a follower's conflict truncation): {@code accepted} begins a new epoch
     * at {@code index} and the next claim returns {@code index + 1}. The dropped slots are not cleared here —
     * another task may still be reading one — but a later claim overwrites every field: a reader of a slot past
     * {@code applied} copies its fields, then (after an acquire fence) checks that the epoch of {@code accepted}
     * did not change, else drops the copy. Producer only; it completes the callbacks of dropped entries first,
     * reading their slots.
     *
     * @param index the last entry to keep; not below {@code applied}
     * @throws IllegalArgumentException if {@code index} is below {@code applied} or above the last claimed index
     */
    public void truncateAfter(long index) {
        final long appliedNow = applied.get();
        if (index < appliedNow || index > claimed) {
            throw new IllegalArgumentException(accepted.name() + ": cannot truncate after " + index
                    + ", outside applied " + appliedNow + " .. claimed " + claimed);
        }
        accepted.beginEpoch(accepted.epoch() + 1, index);
        // A reader validates the slot fields it read against the epoch read after them (a seqlock): the new epoch
        // must be visible before any field the producer refills.
        VarHandle.storeStoreFence();
        claimed = index;
    }

    /**
     * Returns the {@code accepted} pointer: the last published index, in the epoch of the last truncation.
     *
     * @return the pointer; the ring's producer is its only writer
     */
    public EpochSequence accepted() {
        return accepted;
    }

    /**
     * Returns the number of slots.
     *
     * @return the capacity given at construction
     */
    public int capacity() {
        return slots.length;
    }
}
