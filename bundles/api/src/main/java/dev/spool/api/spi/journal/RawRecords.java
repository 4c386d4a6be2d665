package dev.spool.api.spi.journal;

import java.nio.ByteBuffer;

/**
 * A read-only view of consecutive whole records exactly as they lie in a journal segment: what a leader sends to
 * followers, who append them with {@link EntryWriter#appendRaw}. The view keeps its segment mapped, even if the
 * segment is compacted away meanwhile, until it is released; after release its buffer must not be touched.
 *
 * <p>A view may be handed to another thread (a network write), which then releases it, exactly once.
 */
public interface RawRecords extends AutoCloseable {

    /**
     * Returns the index of the first record in the view.
     *
     * @return the first index
     */
    long firstIndex();

    /**
     * Returns the index of the last record in the view.
     *
     * @return the last index
     */
    long lastIndex();

    /**
     * Returns the term of the last record in the view.
     *
     * @return the last record's term
     */
    long lastTerm();

    /**
     * Returns the records' bytes: a read-only buffer over the mapped segment whose position and limit enclose the
     * records exactly. Each call returns the same buffer; the caller may move its position and limit.
     *
     * @return the record bytes, valid until {@link #release()}
     */
    ByteBuffer buffer();

    /** Gives up the view: the segment may be unmapped once nothing else holds it. Idempotent. */
    void release();

    /** Same as {@link #release()}. */
    @Override
    default void close() {
        release();
    }
}
