package dev.spool.api.spi.journal;

import dev.spool.api.group.Durability;
import java.io.IOException;

/**
 * An open journal: entries addressed by consecutive indexes from {@link #firstIndex()} to {@link #lastIndex()},
 * each with the Raft term it was written in and a payload, stored in rolling memory-mapped segment files.
 *
 * <p>Threads: one writer thread appends through {@link #writer()} and alone calls {@link #truncateAfter},
 * {@link #resetTo} and {@link #compactBefore}; any number of threads read through their own
 * {@link #openReader readers}; the index accessors and {@link #termAt} may be called from any thread and see only
 * fully written entries. {@link #close()} may be called from any thread once the writer is done.
 *
 * <p>An empty journal has {@code lastIndex() == firstIndex() - 1}; a new journal starts at index 1.
 */
public interface Journal extends AutoCloseable {

    /**
     * Returns the journal's name within its {@link JournalService}.
     *
     * @return the name
     */
    String name();

    /**
     * Returns the spec the journal was opened with.
     *
     * @return durability and sizes
     */
    JournalSpec spec();

    /**
     * Returns the index of the first entry still present (entries below it were compacted away, or the journal
     * was reset to start here).
     *
     * @return the first index
     */
    long firstIndex();

    /**
     * Returns the index of the last fully written entry, or {@code firstIndex() - 1} if the journal is empty.
     *
     * @return the last index
     */
    long lastIndex();

    /**
     * Returns the term of the entry at {@code index}, in constant time (no scan), from its record once the record
     * passed its checks (header and checksum): the term of a damaged record is never given out.
     *
     * @param index an index between {@link #firstIndex()} and {@link #lastIndex()}
     * @return that entry's term
     * @throws IndexOutOfBoundsException naming the index and the present range if the entry is not present
     * @throws java.io.UncheckedIOException wrapping a {@link CorruptJournalException} naming file and offset if the
     *     record fails its checks
     */
    long termAt(long index);

    /**
     * Returns the journal's single writer. Only one thread may use it.
     *
     * @return the writer
     */
    EntryWriter writer();

    /**
     * Opens a reader positioned at {@code index}. The reader keeps the segments it uses mapped, even if they are
     * compacted away meanwhile, until it is closed.
     *
     * @param index where the first read starts: between {@link #firstIndex()} and {@code lastIndex() + 1}
     * @return a new reader, owned by the caller, to be closed
     * @throws IndexOutOfBoundsException if the index is outside that range
     * @throws JournalClosedException if the journal is closed
     */
    EntryReader openReader(long index) throws IOException;

    /**
     * Removes every entry after {@code index}: they never come back, whatever is appended later and across
     * restarts. The removed bytes are zeroed; under {@link Durability#SYNC} the zeroing is forced no later than the
     * next flush point. A no-op if {@code index >= lastIndex()}. Writer thread only.
     *
     * @param index the last entry to keep; at least {@code firstIndex() - 1}
     * @throws IllegalArgumentException if {@code index} is below {@code firstIndex() - 1} (compacted entries cannot be
     *     truncated)
     * @throws IOException if the storage fails
     */
    void truncateAfter(long index) throws IOException;

    /**
     * Deletes whole segments all of whose entries are below {@code index}. Entries at or above {@code index} stay;
     * some below it may stay too (those sharing a segment with a kept entry). Readers and raw views positioned in a
     * deleted segment stay valid until they are closed or released. Writer thread only.
     *
     * @param index the first index that must stay readable
     * @throws IOException if a segment file cannot be deleted
     */
    void compactBefore(long index) throws IOException;

    /**
     * Discards every entry and restarts the journal empty, so that the next append gets {@code nextIndex}: used
     * after a snapshot covering everything up to {@code nextIndex - 1} was installed. Forced before it returns,
     * whatever the durability. Writer thread only.
     *
     * @param nextIndex the index of the next entry to append, at least 1
     * @throws IOException if the storage fails
     */
    void resetTo(long nextIndex) throws IOException;

    /**
     * Tells whether this journal's content may have lost unforced writes: it is {@link Durability#NONE}, and entries
     * were written under a machine boot other than the current one without being forced, or its open cut entries
     * that may have counted as flushed (a hole left by lost write-back, intact records behind a damaged one; see
     * {@code docs/journal-format.md}). A Raft member with a
     * suspect log neither votes nor counts toward a commit quorum until it has caught up with a current leader,
     * then calls {@link #clearSuspect()}. The flag is persisted: it survives restarts until cleared.
     *
     * @return whether the log is suspect
     */
    boolean isSuspect();

    /**
     * Returns the free space of the journal's file system above the floor below which a new segment is refused, for
     * health checks: once less than a segment is left above it, the next roll fails with a
     * {@link StorageExhaustedException}. Any thread; it asks the file system.
     *
     * @return the bytes above the floor, negative when below it; {@link Long#MAX_VALUE} if this journal has no floor
     * @throws IOException if the file system cannot be asked
     */
    default long spaceAboveFloor() throws IOException {
        return Long.MAX_VALUE;
    }

    /**
     * Returns how many segment files the journal holds now, for operators. Any thread.
     *
     * @return the segment count; 0 if the implementation does not tell
     */
    default int segmentCount() {
        return 0;
    }

    /**
     * Returns the bytes the journal's segment files take (they are allocated in full), for operators. Any thread.
     *
     * @return the bytes; 0 if the implementation does not tell
     */
    default long sizeBytes() {
        return 0;
    }

    /**
     * Records, durably, that this journal's content is trustworthy again. Writer thread only.
     *
     * @throws IOException if the flag cannot be persisted
     */
    void clearSuspect() throws IOException;

    /**
     * Closes the journal: releases the lock, every file handle, and every mapping that no reader or raw view
     * still holds (those are released when their holders close). Idempotent.
     *
     * @throws IOException if a final flush fails (under {@link Durability#SYNC})
     */
    @Override
    void close() throws IOException;
}
