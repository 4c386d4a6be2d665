package dev.spool.replication.wire;

import dev.spool.api.spi.journal.RawRecords;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * A frame made of a header and bytes Netty does not own (a journal view over a mapped segment), which runs a hook
 * when its last reference is released. Netty releases a written message exactly once, whether the write succeeded,
 * failed or was dropped because the channel closed, so the hook gives the borrowed bytes back exactly then: a
 * segment stays mapped for as long as a write needs it, and no longer.
 */
final class ReleaseHookByteBuf extends CompositeByteBuf {

    private final RawRecords borrowedFrom;

    /**
     * Creates the frame; it takes over both buffers (it releases them) and the view.
     *
     * @param alloc the allocator
     * @param header the frame's header
     * @param borrowed the borrowed bytes that follow it
     * @param borrowedFrom the view the borrowed bytes belong to; released once, on the thread that releases the
     *     frame's last reference
     */
    ReleaseHookByteBuf(ByteBufAllocator alloc, ByteBuf header, ByteBuf borrowed, RawRecords borrowedFrom) {
        super(alloc, true, 2);
        this.borrowedFrom = borrowedFrom;
        // One component at a time: no varargs array per frame.
        addComponent(true, header);
        addComponent(true, borrowed);
    }

    @Override
    protected void deallocate() {
        try {
            super.deallocate();
        } finally {
            borrowedFrom.release();
        }
    }
}
