package dev.spool.benchmarks.journal;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/** The sizes every journal implementation under test is given, so that they do the same work. */
final class JournalShape {

    /** The size of each segment file. */
    static final int SEGMENT_SIZE = 64 << 20;

    /** The largest entry a journal accepts: above the largest payload measured (64 KiB). */
    static final int MAX_ENTRY_SIZE = 1 << 20;

    /** Under {@code SYNC}, one flush point every this many appends (group commit). */
    static final int APPENDS_PER_FLUSH = 100;

    /**
     * How many payload bytes an append benchmark keeps before discarding the oldest segments: keeps the disk use of a
     * run bounded whatever the throughput, while the journal still rolls to fresh segments all the time.
     */
    static final long RETAINED_PAYLOAD_BYTES = 2L * SEGMENT_SIZE;

    /**
     * How many payload bytes a read benchmark writes before reading them in a loop: several segments, far beyond any
     * CPU cache; at most {@link #MAX_READ_ENTRIES} entries, so that small entries do not make the setup slow.
     */
    static final long READ_PAYLOAD_BYTES = 3L * SEGMENT_SIZE;

    /** The most entries a read benchmark writes. */
    static final long MAX_READ_ENTRIES = 1 << 20;

    private JournalShape() {}

    /**
     * Returns a direct buffer of {@code size} pseudo-random bytes (fixed seed): the payload every append copies.
     *
     * @param size the payload size
     * @return the payload, position 0, limit {@code size}
     */
    static ByteBuffer payload(int size) {
        var bytes = new byte[size];
        new SplittableRandom(size).nextBytes(bytes);
        return ByteBuffer.allocateDirect(size).put(bytes).flip();
    }
}
