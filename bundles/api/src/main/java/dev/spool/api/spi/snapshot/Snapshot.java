package dev.spool.api.spi.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * An open, published snapshot. It stays readable until closed, even if retention deletes its file meanwhile.
 *
 * <p>Its bytes can be read two ways. {@link #openStream()} gives the state machine's bytes back, decompressed and
 * checked. {@link #read(long, ByteBuffer)} and {@link #transferTo} give the stored bytes (the whole file, header
 * included, exactly as a follower must store them) at any offset, without reading what comes before: that is how a
 * leader sends a snapshot in chunks and resumes from the last acknowledged offset.
 *
 * <p>Positioned reads and streams may be used by several threads at once; each stream by one thread.
 */
public interface Snapshot extends AutoCloseable {

    /**
     * Returns what the snapshot stands for.
     *
     * @return the metadata from its header
     */
    SnapshotMetadata metadata();

    /**
     * Returns the identity of the stored bytes: what a leader announces to a follower.
     *
     * @return the descriptor
     */
    SnapshotDescriptor descriptor();

    /**
     * Returns how the snapshot's body is encoded.
     *
     * @return the compression its header records
     */
    SnapshotCompression compression();

    /**
     * Returns the number of bytes the state machine wrote.
     *
     * @return the uncompressed content length
     */
    long contentLength();

    /**
     * Opens a stream of the bytes the state machine wrote. The stream checks the body's checksum as it reaches the
     * end and every compressed block as it decodes it.
     *
     * @return a new stream, to be closed by the caller
     * @throws IOException if the snapshot is closed
     */
    InputStream openStream() throws IOException;

    /**
     * Reads stored bytes from {@code offset} into {@code target}, from its position up to its limit or the end of the
     * snapshot, whichever comes first; the position advances by the count read.
     *
     * @param offset the offset in the stored bytes, from 0 to {@code descriptor().size()}
     * @param target where to put the bytes
     * @return the number of bytes read, or -1 if {@code offset} is the end of the snapshot
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if {@code offset} is negative or past the end
     */
    int read(long offset, ByteBuffer target) throws IOException;

    /**
     * Writes up to {@code count} stored bytes from {@code offset} to {@code target}, letting the operating system copy
     * them from the file straight to the target where it can (a socket, another file).
     *
     * @param offset the offset in the stored bytes, from 0 to {@code descriptor().size()}
     * @param count the most bytes to transfer
     * @param target where to write them
     * @return the number of bytes transferred; fewer than asked at the end of the snapshot or if the target takes
     *     fewer (a non-blocking socket)
     * @throws IOException if the file cannot be read or the target cannot be written
     * @throws IllegalArgumentException if {@code offset} is negative or past the end, or {@code count} is negative
     */
    long transferTo(long offset, long count, WritableByteChannel target) throws IOException;

    /** Releases the file. Streams opened from the snapshot fail afterwards. */
    @Override
    void close() throws IOException;
}
