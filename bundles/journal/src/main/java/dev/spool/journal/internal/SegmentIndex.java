package dev.spool.journal.internal;

import java.nio.ByteBuffer;

/**
 * The offset and term of every record of one segment, kept off-heap so that the heap does not grow with the number
 * of entries: 12 bytes per record (offset, then term) in a direct buffer that doubles when full.
 *
 * <p>One thread adds and truncates (the journal's writer, or the thread that indexes a sealed segment under the
 * segment's lock); any thread reads entries that were published to it through the journal's last index or the
 * segment's indexed flag. A grown buffer is published before any entry beyond the old capacity.
 */
final class SegmentIndex {
    private static final int STRIDE = 12;
    private static final int INITIAL_CAPACITY = 1024;

    private volatile ByteBuffer entries = ByteBuffer.allocateDirect(INITIAL_CAPACITY * STRIDE);
    private int count;

    int count() {
        return count;
    }

    void add(int offset, long term) {
        ByteBuffer buffer = entries;
        int position = count * STRIDE;
        if (position + STRIDE > buffer.capacity()) {
            buffer = grow(buffer);
        }
        buffer.putInt(position, offset);
        buffer.putLong(position + Integer.BYTES, term);
        count++;
    }

    int offset(int entry) {
        return entries.getInt(entry * STRIDE);
    }

    long term(int entry) {
        return entries.getLong(entry * STRIDE + Integer.BYTES);
    }

    void truncate(int newCount) {
        count = newCount;
    }

    /** Frees the off-heap memory; called once nothing can read the index any more. */
    void free() {
        Unmapper.free(entries);
    }

    private ByteBuffer grow(ByteBuffer old) {
        ByteBuffer grown = ByteBuffer.allocateDirect(old.capacity() * 2);
        grown.put(0, old, 0, count * STRIDE);
        entries = grown;
        return grown;
    }
}
