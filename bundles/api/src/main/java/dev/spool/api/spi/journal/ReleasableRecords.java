package dev.spool.api.spi.journal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * The part every {@link RawRecords} implementation shares: the range, the buffer, and a release that gives the
 * underlying memory back exactly once however often and from however many threads it is called. The flag is a field
 * of the view, not an object of its own, because a view is made per message on a hot path.
 */
public abstract class ReleasableRecords implements RawRecords {

    private static final VarHandle RELEASED;

    static {
        try {
            RELEASED = MethodHandles.lookup().findVarHandle(ReleasableRecords.class, "released", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ByteBuffer buffer;
    private final long firstIndex;
    private final long lastIndex;
    private final long lastTerm;

    @SuppressWarnings("unused") // accessed through RELEASED
    private volatile boolean released;

    /**
     * Creates the view.
     *
     * @param buffer the records' bytes, read-only, position and limit enclosing them exactly
     * @param firstIndex the index of the first record
     * @param lastIndex the index of the last record
     * @param lastTerm the term of the last record
     */
    protected ReleasableRecords(ByteBuffer buffer, long firstIndex, long lastIndex, long lastTerm) {
        this.buffer = buffer;
        this.firstIndex = firstIndex;
        this.lastIndex = lastIndex;
        this.lastTerm = lastTerm;
    }

    /** Gives back what holds the records' memory; called exactly once, by the first {@link #release()}. */
    protected abstract void releaseMemory();

    @Override
    public final long firstIndex() {
        return firstIndex;
    }

    @Override
    public final long lastIndex() {
        return lastIndex;
    }

    @Override
    public final long lastTerm() {
        return lastTerm;
    }

    @Override
    public final ByteBuffer buffer() {
        return buffer;
    }

    @Override
    public final void release() {
        if (RELEASED.compareAndSet(this, false, true)) {
            releaseMemory();
        }
    }
}
