package dev.spool.journal.internal;

import java.nio.ByteBuffer;

/** Zero-filling of mapped regions, without allocating. */
final class Zeros {
    private static final byte[] ZEROS = new byte[64 << 10];

    private Zeros() {}

    /** Writes zeros over {@code [from, to)} of {@code buffer}. */
    static void fill(ByteBuffer buffer, int from, int to) {
        for (int offset = from; offset < to; offset += ZEROS.length) {
            buffer.put(offset, ZEROS, 0, Math.min(ZEROS.length, to - offset));
        }
    }

    /**
     * Returns the offset just past the last non-zero byte in {@code [from, to)}, or {@code from} if all are zero.
     */
    static int endOfNonZero(ByteBuffer buffer, int from, int to) {
        int end = from;
        int offset = from;
        for (; offset + Long.BYTES <= to; offset += Long.BYTES) {
            if (buffer.getLong(offset) != 0) {
                end = offset + Long.BYTES;
            }
        }
        for (; offset < to; offset++) {
            if (buffer.get(offset) != 0) {
                end = offset + 1;
            }
        }
        return end;
    }
}
