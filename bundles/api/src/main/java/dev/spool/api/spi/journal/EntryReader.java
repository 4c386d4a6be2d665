package dev.spool.api.spi.journal;

import dev.spool.api.codec.PayloadCodec;
import java.io.IOException;

/**
 * Reads a journal's entries, sequentially from a position that {@link #seek} can move. A reader belongs to one
 * thread at a time; any number of readers run concurrently with the writer and see only fully written entries.
 *
 * <p>Every entry handed out has had its record checksum verified; a record that fails is reported as a
 * {@link CorruptJournalException} naming its file and offset, never served and never skipped. A reader keeps the
 * segments it is positioned in mapped, even if they are compacted away, until it moves on or is closed. Steady-state
 * reads allocate nothing (except what a codec's {@code decode} allocates).
 */
public interface EntryReader extends AutoCloseable {

    /**
     * Returns the index the next read will return.
     *
     * @return the reader's position
     */
    long nextIndex();

    /**
     * Moves the reader to {@code index}, in O(log n) time or better without scanning records.
     *
     * @param index between the journal's first index and {@code lastIndex() + 1}
     * @throws IndexOutOfBoundsException if the entry was compacted away or lies beyond the end
     * @throws IOException if a segment cannot be mapped
     */
    void seek(long index) throws IOException;

    /**
     * Reads the entry at {@link #nextIndex()}, if it is written, and hands it to {@code visitor}; then advances.
     *
     * @param visitor receives the entry
     * @return {@code true} if an entry was read, {@code false} if the reader is at the end of the journal
     * @throws CorruptJournalException if the record fails its checksum
     * @throws IOException if the visitor fails (the reader does not advance)
     */
    boolean read(EntryVisitor visitor) throws IOException;

    /**
     * Reads the entry at {@link #nextIndex()}, if it is written, and decodes it with {@code codec}; then advances.
     *
     * @param codec decodes the payload
     * @param <T> the payload type
     * @return the decoded payload, or {@code null} if the reader is at the end of the journal
     * @throws CorruptJournalException if the record fails its checksum
     * @throws IOException if decoding fails (the reader does not advance)
     */
    <T> T read(PayloadCodec<T> codec) throws IOException;

    /**
     * Hands out the next whole records, as they lie in the segment, as a read-only view, and advances past them. The
     * view covers at least one record if any is written (even one larger than {@code maxBytes}), never spans a
     * segment boundary, and holds at most {@code maxRecords} records and, beyond the first, at most
     * {@code maxBytes} bytes. Record checksums are verified before the view is handed out.
     *
     * @param maxRecords the most records to include, at least 1
     * @param maxBytes the most bytes to include beyond the first record
     * @return the view, to be released by the caller, or {@code null} if the reader is at the end of the journal
     * @throws CorruptJournalException if a record fails its checksum
     * @throws IOException if a segment cannot be mapped
     */
    RawRecords readRaw(int maxRecords, int maxBytes) throws IOException;

    /** Releases the reader's hold on its segments. Idempotent. */
    @Override
    void close();
}
