package dev.spool.replication;

import dev.spool.api.journal.RawRecords;
import dev.spool.api.raft.AppendEntries;
import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * The records of a received AppendEntries, handed to the group without a copy: the view holds a reference to the
 * received frame's bytes, which the group releases (once its log task appended them, or when it drops the message),
 * on any thread. The group keeps the records beyond the delivery call, so the reference is its own. Releasing them
 * also gives their credit back to the group's window, which grants it to the sender again.
 */
final class ReceivedRecords implements RawRecords {

    /** Guards {@link #released}: a field of the view, not an object of its own per message. */
    private static final VarHandle RELEASED;

    static {
        try {
            RELEASED = MethodHandles.lookup().findVarHandle(ReceivedRecords.class, "released", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long firstIndex;
    private final long lastIndex;
    private final long lastTerm;
    private final ByteBuf bytes;
    private final ByteBuffer buffer;
    private final ReceiveWindow window;
    private final long charge;
    @SuppressWarnings("unused") // accessed through RELEASED
    private volatile boolean released;

    /**
     * Creates the view.
     *
     * @param message the AppendEntries naming the records (a non-empty range)
     * @param bytes the records, a reference the view takes over
     * @param window the window the frame was charged to
     * @param charge what it was charged
     */
    ReceivedRecords(AppendEntries message, ByteBuf bytes, ReceiveWindow window, long charge) {
        this.firstIndex = message.firstIndex();
        this.lastIndex = message.lastIndex();
        this.lastTerm = message.entryTerm();
        this.bytes = bytes;
        this.buffer = bytes.nioBuffer().asReadOnlyBuffer();
        this.window = window;
        this.charge = charge;
    }

    @Override
    public long firstIndex() {
        return firstIndex;
    }

    @Override
    public long lastIndex() {
        return lastIndex;
    }

    @Override
    public long lastTerm() {
        return lastTerm;
    }

    @Override
    public ByteBuffer buffer() {
        return buffer;
    }

    @Override
    public void release() {
        if (RELEASED.compareAndSet(this, false, true)) {
            bytes.release();
            window.release(charge);
        }
    }
}
