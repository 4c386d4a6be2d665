package dev.spool.raft.pipeline;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** The hot field of a {@link Sequence}, placed after the left padding. */
abstract class SequenceValue extends CacheLinePadding {
    protected long value;
}

/**
 * A pointer of the pipeline that only ever moves forward, such as {@code committed} or {@code applied}: a padded
 * {@code long} written by exactly one thread and read by any (the Disruptor's {@code Sequence}). The padding keeps
 * the writer's stores from invalidating the cache lines of unrelated hot fields, and theirs from invalidating this
 * one.
 *
 * <p>Writes are release stores: everything the writer did before {@link #set} (filling slots, applying entries) is
 * visible to a reader that {@link #get}s the new value. Reads are volatile, which pairs with
 * {@link ParkingSignal}'s protocol so that a follower cannot miss a move and then park.
 *
 * <p>A pointer that may move backwards when an epoch changes is an {@link EpochSequence}.
 */
@SuppressWarnings("unused") // the padding fields exist only to occupy space
public final class Sequence extends SequenceValue {

    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(SequenceValue.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    protected long p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30;

    private final String name;

    /**
     * Creates a sequence.
     *
     * @param name the pointer's name, for errors and reports
     * @param initial the starting value
     */
    public Sequence(String name, long initial) {
        this.name = name;
        VALUE.setRelease(this, initial);
    }

    /**
     * Returns the latest published value. Any thread.
     *
     * @return the value
     */
    public long get() {
        return (long) VALUE.getVolatile(this);
    }

    /**
     * Publishes a new value. Only the sequence's writer calls this.
     *
     * @param newValue the value; not below the current one
     * @throws IllegalArgumentException if {@code newValue} would move the sequence backwards
     */
    public void set(long newValue) {
        final long current = (long) VALUE.get(this);
        if (newValue < current) {
            throw new IllegalArgumentException(name + " cannot move backwards from " + current + " to " + newValue);
        }
        VALUE.setRelease(this, newValue);
    }

    /**
     * Returns the pointer's name.
     *
     * @return the name given at construction
     */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name + '=' + get();
    }
}
