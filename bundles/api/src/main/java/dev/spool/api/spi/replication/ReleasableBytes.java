package dev.spool.api.spi.replication;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * The part every {@link ReceivedBytes} implementation shares: the buffer, and a release that gives the underlying
 * memory back exactly once however often and from however many threads it is called. The flag is a field, not an
 * object of its own, because the bytes are handed over per message.
 */
public abstract class ReleasableBytes implements ReceivedBytes {

    private static final VarHandle RELEASED;

    static {
        try {
            RELEASED = MethodHandles.lookup().findVarHandle(ReleasableBytes.class, "released", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ByteBuffer buffer;

    @SuppressWarnings("unused") // accessed through RELEASED
    private volatile boolean released;

    /**
     * Creates the view.
     *
     * @param buffer the bytes, read-only, position and limit enclosing them exactly
     */
    protected ReleasableBytes(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    /** Gives back what holds the bytes' memory; called exactly once, by the first {@link #release()}. */
    protected abstract void releaseMemory();

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

    /**
     * Tells whether the bytes were released.
     *
     * @return whether {@link #release()} was called
     */
    public final boolean released() {
        return released;
    }
}
