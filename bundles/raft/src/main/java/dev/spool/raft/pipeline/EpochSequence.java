package dev.spool.raft.pipeline;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** The hot fields of an {@link EpochSequence}, on one cache line after the left padding. */
abstract class EpochSequenceFields extends CacheLinePadding {
    /** Twice the epoch; odd while the writer moves to the next epoch (a sequence lock for readers). */
    protected long epochWord;

    protected long value;
}

/**
 * A pointer that only moves forward within an epoch and may move backwards when its writer begins a new epoch:
 * {@code accepted} and {@code flushed} after a follower truncates its log.
 * Written by exactly one thread; read by any.
 *
 * <p>Updates carry the epoch in which they were computed, so an acknowledgement computed before the epoch changed
 * is recognised and dropped (and counted in {@link #staleUpdates()}) instead of moving the pointer. Readers that
 * care which epoch a value belongs to read it with {@link #getInEpoch}, which sees epoch and value as one pair;
 * followers that only need to notice movement read {@link #get()}.
 */
@SuppressWarnings("unused") // the padding fields exist only to occupy space
public final class EpochSequence extends EpochSequenceFields {

    /** The largest epoch: epochs are stored doubled, with the low bit marking a change in progress. */
    public static final long MAX_EPOCH = Long.MAX_VALUE >> 1;

    private static final VarHandle EPOCH_WORD;
    private static final VarHandle VALUE;

    static {
        try {
            final var lookup = MethodHandles.lookup();
            EPOCH_WORD = lookup.findVarHandle(EpochSequenceFields.class, "epochWord", long.class);
            VALUE = lookup.findVarHandle(EpochSequenceFields.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    protected long p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30;

    private final String name;
    private final Counter staleUpdates;

    /**
     * Creates a sequence.
     *
     * @param name the pointer's name, for errors and reports
     * @param epoch the starting epoch, 0 to {@link #MAX_EPOCH}
     * @param initial the starting value
     */
    public EpochSequence(String name, long epoch, long initial) {
        this.name = name;
        this.staleUpdates = new Counter(name + ".staleUpdates");
        checkEpoch(epoch);
        VALUE.setRelease(this, initial);
        EPOCH_WORD.setRelease(this, epoch << 1);
    }

    /**
     * Returns the latest published value, whatever its epoch. Any thread; for followers that wait for movement.
     *
     * @return the value
     */
    public long get() {
        return (long) VALUE.getVolatile(this);
    }

    /**
     * Returns the current epoch. Any thread.
     *
     * @return the epoch of the latest published value
     */
    public long epoch() {
        long word;
        do {
            word = (long) EPOCH_WORD.getVolatile(this);
        } while ((word & 1) != 0);
        return word >>> 1;
    }

    /**
     * Returns the value if it belongs to the given epoch. Any thread. Epoch and value are read as one consistent
     * pair; the writer's epoch change is two stores long, so a reader that meets one waits only that long.
     *
     * @param epoch the epoch the caller trusts
     * @param otherwise what to return when the sequence is in another epoch
     * @return the value, or {@code otherwise}
     */
    public long getInEpoch(long epoch, long otherwise) {
        while (true) {
            final long before = (long) EPOCH_WORD.getVolatile(this);
            if ((before & 1) != 0) {
                Thread.onSpinWait();
                continue;
            }
            final long value = (long) VALUE.getVolatile(this);
            if ((long) EPOCH_WORD.getVolatile(this) == before) {
                return before >>> 1 == epoch ? value : otherwise;
            }
        }
    }

    /**
     * Moves the sequence forward with a value computed in {@code epoch}. Only the writer calls this. An update from
     * an earlier epoch, or one that would move backwards within the epoch (a reordered or repeated
     * acknowledgement), is dropped and counted.
     *
     * @param epoch the epoch in which the value was computed
     * @param newValue the value
     * @return {@code false} if the update was stale and dropped
     * @throws IllegalArgumentException if {@code epoch} is later than the current epoch: the writer begins epochs
     *     with {@link #beginEpoch} before it computes values in them
     */
    public boolean advance(long epoch, long newValue) {
        final long current = (long) EPOCH_WORD.get(this) >>> 1;
        if (epoch > current) {
            throw new IllegalArgumentException(name + " got a value for epoch " + epoch + " while in epoch " + current);
        }
        if (epoch < current || newValue < (long) VALUE.get(this)) {
            staleUpdates.increment();
            return false;
        }
        VALUE.setRelease(this, newValue);
        return true;
    }

    /**
     * Begins a new epoch at any value, forward or backward. Only the writer calls this.
     *
     * @param newEpoch the epoch; later than the current one and at most {@link #MAX_EPOCH}
     * @param newValue the value the new epoch starts from
     * @throws IllegalArgumentException if {@code newEpoch} is not later than the current epoch
     */
    public void beginEpoch(long newEpoch, long newValue) {
        checkEpoch(newEpoch);
        final long word = (long) EPOCH_WORD.get(this);
        if (newEpoch <= word >>> 1) {
            throw new IllegalArgumentException(name + " cannot begin epoch " + newEpoch + " in epoch " + (word >>> 1));
        }
        EPOCH_WORD.setOpaque(this, word | 1);
        VALUE.setRelease(this, newValue); // release: the odd epoch word becomes visible no later than the value
        EPOCH_WORD.setRelease(this, newEpoch << 1);
    }

    /**
     * Returns the count of dropped stale updates.
     *
     * @return the counter; any thread may read it
     */
    public Counter staleUpdates() {
        return staleUpdates;
    }

    /**
     * Returns the pointer's name.
     *
     * @return the name given at construction
     */
    public String name() {
        return name;
    }

    private void checkEpoch(long epoch) {
        if (epoch < 0 || epoch > MAX_EPOCH) {
            throw new IllegalArgumentException(name + ": epoch " + epoch + " is outside 0.." + MAX_EPOCH);
        }
    }

    @Override
    public String toString() {
        return name + '=' + get() + "@epoch " + epoch();
    }
}
