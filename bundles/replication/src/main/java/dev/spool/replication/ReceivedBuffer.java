package dev.spool.replication;

import dev.spool.api.spi.replication.ReleasableBytes;
import io.netty.buffer.ByteBuf;

/**
 * Bytes a peer sent that a group keeps beyond the delivery call: an InstallSnapshot chunk (a reference to the
 * received frame's bytes, no copy) or a forwarded proposal's payload (a copy of exactly its bytes, so that a small
 * payload the group holds for a while does not pin the large receive buffer it arrived in). The group releases them,
 * on any thread; a chunk's release also gives its credit back to the group's window, which grants it to the sender
 * again.
 */
final class ReceivedBuffer extends ReleasableBytes {

    private final ByteBuf bytes;
    private final ReceiveWindow window;
    private final long charge;

    /**
     * Creates the view.
     *
     * @param bytes the bytes, a reference the view takes over
     * @param window the window the frame was charged to, or {@code null} if it spent no credit
     * @param charge what it was charged
     */
    ReceivedBuffer(ByteBuf bytes, ReceiveWindow window, long charge) {
        super(bytes.nioBuffer().asReadOnlyBuffer());
        this.bytes = bytes;
        this.window = window;
        this.charge = charge;
    }

    /** A copy of a forwarded payload, in a buffer of its own from {@code received}'s allocator. */
    static ReceivedBuffer copyOf(ByteBuf received) {
        final ByteBuf copy = received.alloc().directBuffer(received.readableBytes(), received.readableBytes());
        copy.writeBytes(received, received.readerIndex(), received.readableBytes());
        return new ReceivedBuffer(copy, null, 0);
    }

    @Override
    protected void releaseMemory() {
        bytes.release();
        if (window != null) {
            window.release(charge);
        }
    }
}
