package dev.spool.journal.internal;

import dev.spool.api.journal.RawRecords;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/** A {@link RawRecords} view holding a reference on its segment until released, exactly once. */
final class RawView implements RawRecords {
    private final Segment segment;
    private final ByteBuffer buffer;
    private final long firstIndex;
    private final long lastIndex;
    private final long lastTerm;
    private final AtomicBoolean released = new AtomicBoolean();

    /** The caller hands over a reference it took on {@code segment}. */
    RawView(Segment segment, ByteBuffer buffer, long firstIndex, long lastIndex, long lastTerm) {
        this.segment = segment;
        this.buffer = buffer;
        this.firstIndex = firstIndex;
        this.lastIndex = lastIndex;
        this.lastTerm = lastTerm;
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
            segment.release();
        }
    }
}
