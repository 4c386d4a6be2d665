package dev.spool.journal.internal;

import dev.spool.api.codec.EntrySink;
import dev.spool.api.spi.codec.AbsoluteEntrySink;
import dev.spool.api.spi.journal.EntryTooLargeException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The {@link EntrySink} of a {@link JournalWriter}: writes the payload with absolute puts straight into the mapped
 * active segment. One instance per writer, reused for every append. A write that crosses the end of the segment asks
 * the writer to move the entry to the next segment (once); a write that makes the payload larger than the maximum
 * entry size throws {@link EntryTooLargeException}, and the writer zeroes what was written.
 */
final class MappedEntrySink extends AbsoluteEntrySink {
    private final JournalWriter writer;
    private final int maxEntrySize;
    private ByteBuffer buffer;
    private int payloadStart;
    private int position;
    private int limit;

    MappedEntrySink(JournalWriter writer, int maxEntrySize) {
        this.writer = writer;
        this.maxEntrySize = maxEntrySize;
    }

    /** Starts a payload at {@code payloadStart} of {@code target}, whose usable area ends at {@code segmentEnd}. */
    void begin(ByteBuffer target, int payloadStart, int segmentEnd) {
        relocate(target, payloadStart, segmentEnd);
        position = payloadStart;
    }

    /** Continues the payload in another segment, to which the writer moved the bytes written so far. */
    void relocate(ByteBuffer target, int newPayloadStart, int segmentEnd) {
        int written = position - payloadStart;
        buffer = target;
        payloadStart = newPayloadStart;
        position = newPayloadStart + written;
        limit = (int) Math.min(segmentEnd, (long) newPayloadStart + maxEntrySize);
    }

    /** Zeroes whatever the abandoned payload wrote. */
    void abandon() {
        Zeros.fill(buffer, payloadStart, position);
        position = payloadStart;
    }

    @Override
    public int position() {
        return position - payloadStart;
    }

    /** May move the entry to the next segment (once), which changes {@link #target()}. */
    @Override
    protected int claim(int bytes) throws IOException {
        if (bytes > limit - position) {
            overflow(bytes);
        }
        int at = position;
        position = at + bytes;
        return at;
    }

    private void overflow(int bytes) throws IOException {
        long size = (long) position - payloadStart + bytes;
        if (size > maxEntrySize) {
            throw new EntryTooLargeException(size, maxEntrySize);
        }
        writer.moveEntryToNextSegment();
    }

    @Override
    protected ByteBuffer target() {
        return buffer;
    }
}
