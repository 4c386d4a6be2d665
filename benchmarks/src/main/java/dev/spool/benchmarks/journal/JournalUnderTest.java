package dev.spool.benchmarks.journal;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One journal implementation, reduced to the work the benchmarks measure. Used by one benchmark thread only.
 *
 * <p>Each benchmark fork drives exactly one implementation, so calls through this interface stay monomorphic and
 * are inlined: the interface costs nothing in the measurement.
 */
interface JournalUnderTest extends AutoCloseable {

    /**
     * Appends one entry whose payload is a copy of {@code payload} from position 0 to its limit. The buffer's position
     * may move; its content and limit do not change.
     *
     * @param payload the payload bytes
     * @return the index of the appended entry
     * @throws IOException if the journal fails
     */
    long append(ByteBuffer payload) throws IOException;

    /**
     * A flush point: under {@code SYNC}, forces every entry appended since the previous one to disk.
     *
     * @throws IOException if the force fails
     */
    void flush() throws IOException;

    /**
     * Deletes whole segments holding only entries below {@code index}, to keep the disk use of a long run bounded.
     *
     * @param index the first index that must stay
     * @throws IOException if a segment cannot be deleted
     */
    void discardBefore(long index) throws IOException;

    /**
     * Opens a reader at the first entry.
     *
     * @param into where each read copies the payload; its capacity is the payload size
     * @return the reader
     * @throws IOException if the journal cannot be read
     */
    SequentialReader openReader(ByteBuffer into) throws IOException;

    @Override
    void close() throws IOException;

    /** Reads a non-empty journal's entries in order, again and again. */
    interface SequentialReader {

        /**
         * Reads the next entry, or the first one after the last: verifies its checksum and copies its payload into the
         * reader's buffer.
         *
         * @return the payload's first eight bytes, so that nothing of the read can be optimised away
         * @throws IOException if the entry cannot be read or fails its checksum
         */
        long readNext() throws IOException;
    }
}
