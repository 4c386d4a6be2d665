package dev.spool.replication;

import dev.spool.api.journal.RawRecords;
import dev.spool.api.raft.AppendEntries;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The records of a received AppendEntries, handed to the group without a copy: the view holds a reference to the
 * received frame's bytes, which the group releases (once its log task appended them, or when it drops the message),
 * on any thread. The group keeps the records beyond the delivery call, so the reference is its own.
 */
final class ReceivedRecords implements RawRecords {

    private final long firstIndex;
    private final long lastIndex;
    private final long lastTerm;
    private final ByteBuf bytes;
    private final ByteBuffer buffer;
    private final AtomicBoolean released = new AtomicBoolean();

    /**
     * Creates the view.
     *
     * @param message the AppendEntries naming the records (a non-empty range)
     * @param bytes the records, a reference the view takes over
     */
    ReceivedRecords(AppendEntries message, ByteBuf bytes) {
        this.firstIndex = message.firstIndex();
        this.lastIndex = message.lastIndex();
        this.lastTerm = message.entryTerm();
        this.bytes = bytes;
        this.buffer = bytes.nioBuffer().asReadOnlyBuffer();
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
        if (released.compareAndSet(false, true)) {
            bytes.release();
        }
    }
}
