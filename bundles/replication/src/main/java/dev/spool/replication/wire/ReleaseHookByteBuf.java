package dev.spool.replication.wire;

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

    private final Runnable onRelease;

    /**
     * Creates the frame; it takes over both buffers (it releases them).
     *
     * @param alloc the allocator
     * @param header the frame's header
     * @param borrowed the borrowed bytes that follow it
     * @param onRelease what gives the borrowed bytes back; runs once, on the thread that releases the last reference
     */
    ReleaseHookByteBuf(ByteBufAllocator alloc, ByteBuf header, ByteBuf borrowed, Runnable onRelease) {
        super(alloc, true, 2);
        this.onRelease = onRelease;
        addComponents(true, header, borrowed);
    }

    @Override
    protected void deallocate() {
        try {
            super.deallocate();
        } finally {
            onRelease.run();
        }
    }
}
