package dev.spool.api.spi.snapshot;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.WritableByteChannel;

/**
 * Receives the bytes of one new snapshot as a stream, without holding them in memory, and publishes them atomically.
 * Until {@link #commit()} returns nothing of the snapshot is visible; {@link #abort()}, or a crash before the commit
 * completes, leaves nothing that a reader could ever see.
 *
 * <p>One thread writes a snapshot; a writer is not thread-safe. Use either the channel methods or
 * {@link #outputStream()}, both append to the same snapshot. Writing after a commit or an abort fails with a
 * {@link java.nio.channels.ClosedChannelException}.
 */
public interface SnapshotWriter extends WritableByteChannel {

    /**
     * Returns the metadata the snapshot is written with.
     *
     * @return the metadata
     */
    SnapshotMetadata metadata();

    /**
     * Returns a stream that appends to this snapshot. Closing the stream does not commit.
     *
     * @return the same stream at every call
     */
    OutputStream outputStream();

    /**
     * Makes the snapshot durable and visible: written bytes are forced, the file is renamed to its published name and
     * the directory is forced. A snapshot with the same last index and term replaces the one published before. Older
     * snapshots beyond the store's retention are deleted afterwards.
     *
     * @return the descriptor of the published snapshot
     * @throws java.nio.channels.ClosedChannelException if the writer was committed, aborted or closed already
     * @throws IOException if the snapshot could not be published: it is then not visible and its file is deleted,
     *     unless only the final directory force failed (the rename happened, but may not survive a power cut)
     */
    SnapshotDescriptor commit() throws IOException;

    /**
     * Discards the snapshot: nothing of it stays on disk. Does nothing after a commit or an abort.
     *
     * @throws IOException if the temporary file cannot be deleted; it is then removed the next time the group's
     *     snapshots are opened
     */
    void abort() throws IOException;

    /** Aborts the snapshot unless it was committed. */
    @Override
    void close() throws IOException;
}
