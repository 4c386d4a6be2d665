package dev.spool.journal.internal;

import dev.spool.api.spi.journal.ReleasableRecords;
import java.nio.ByteBuffer;

/** A {@link dev.spool.api.spi.journal.RawRecords} view holding a reference on its segment until released, once. */
final class RawView extends ReleasableRecords {
    private final Segment segment;

    /** The caller hands over a reference it took on {@code segment}. */
    RawView(Segment segment, ByteBuffer buffer, long firstIndex, long lastIndex, long lastTerm) {
        super(buffer, firstIndex, lastIndex, lastTerm);
        this.segment = segment;
    }

    @Override
    protected void releaseMemory() {
        segment.release();
    }
}
