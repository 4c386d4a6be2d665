package dev.spool.api.spi.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Assembles on a follower the stored bytes of a snapshot a leader sends in chunks, in order, and publishes it only
 * once it verifies. The partial bytes are kept on disk: a later receiver for the same descriptor (after a reconnect or
 * a restart) resumes at {@link #nextOffset()}; a receiver for another descriptor discards them and starts at 0.
 *
 * <p>One thread feeds a receiver. Opening a new receiver for the same group supersedes this one: its methods then
 * fail with {@link IllegalStateException}.
 */
public interface SnapshotReceiver extends AutoCloseable {

    /**
     * Returns what the leader announced.
     *
     * @return the descriptor this receiver assembles
     */
    SnapshotDescriptor descriptor();

    /**
     * Returns the offset of the next byte expected: the acknowledgement to send the leader.
     *
     * @return the number of stored bytes received so far
     */
    long nextOffset();

    /**
     * Takes a chunk of stored bytes starting at {@code offset}. A chunk that lies wholly before {@link #nextOffset()}
     * (a repeat after a lost acknowledgement) changes nothing; one that overlaps it contributes its new tail. The
     * buffer's position advances to its limit.
     *
     * @param offset the offset of the chunk's first byte in the stored bytes
     * @param chunk the bytes, from position to limit
     * @return the new {@link #nextOffset()}, to acknowledge
     * @throws SnapshotTransferException if {@code offset} is beyond {@link #nextOffset()} (a gap) or the chunk runs
     *     past the announced size; the received bytes are kept
     * @throws IOException if the bytes cannot be stored
     */
    long accept(long offset, ByteBuffer chunk) throws IOException;

    /**
     * Verifies the received bytes (header, length, last index and term, and body checksum against the descriptor) and
     * publishes the snapshot atomically. Bytes that fail verification are discarded, so the next transfer starts over.
     *
     * @return the published snapshot, open for installing; the caller closes it
     * @throws SnapshotTransferException if fewer bytes than announced arrived (they are kept), or the bytes do not
     *     verify (they are discarded; the cause names the failed check)
     * @throws IOException if the snapshot could not be published
     */
    Snapshot complete() throws IOException;

    /**
     * Discards the received bytes. Does nothing after {@link #complete()}.
     *
     * @throws IOException if the partial file cannot be deleted
     */
    void abort() throws IOException;

    /** Stops receiving, keeping the received bytes for a resumed transfer. */
    @Override
    void close() throws IOException;
}
