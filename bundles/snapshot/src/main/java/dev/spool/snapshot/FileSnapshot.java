package dev.spool.snapshot;

import dev.spool.api.spi.snapshot.CorruptSnapshotException;
import dev.spool.api.spi.snapshot.Snapshot;
import dev.spool.api.spi.snapshot.SnapshotCompression;
import dev.spool.api.spi.snapshot.SnapshotDescriptor;
import dev.spool.api.spi.snapshot.SnapshotMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * A snapshot file opened for reading: its header is checked when it opens, its body on {@link #verify()} and by every
 * stream that reads it to the end. The open channel keeps the file readable after it is deleted.
 */
final class FileSnapshot implements Snapshot {
    private final Path file;
    private final FileChannel channel;
    private final SnapshotHeader header;
    private final long size;

    private FileSnapshot(Path file, FileChannel channel, SnapshotHeader header, long size) {
        this.file = file;
        this.channel = channel;
        this.header = header;
        this.size = size;
    }

    /**
     * Opens {@code file} and checks its header and its length.
     *
     * @throws CorruptSnapshotException if either fails
     */
    static FileSnapshot open(Path file) throws IOException {
        final FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            final SnapshotHeader header = SnapshotHeader.read(channel, file);
            final long expected = header.length() + header.bodyLength();
            final long actual = channel.size();
            if (actual != expected) {
                throw new CorruptSnapshotException(
                        file,
                        Math.min(actual, expected),
                        (actual < expected ? "truncated: " : "trailing bytes: ") + "the file has " + actual
                                + " bytes, its header says "
                                + expected);
            }
            return new FileSnapshot(file, channel, header, actual);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Reads the whole body and checks its checksum.
     *
     * @throws CorruptSnapshotException if it differs from the header's
     */
    void verify() throws IOException {
        final BodyInput body = new BodyInput(channel, file, header);
        final ByteBuffer buffer = ByteBuffer.allocateDirect(PlainBody.BUFFER_SIZE);
        while (body.remaining() > 0) {
            body.readFully(buffer.clear().limit((int) Math.min(buffer.capacity(), body.remaining())), "body");
        }
        body.verifyChecksum();
    }

    Path file() {
        return file;
    }

    @Override
    public SnapshotMetadata metadata() {
        return header.metadata();
    }

    @Override
    public SnapshotDescriptor descriptor() {
        return new SnapshotDescriptor(
                header.metadata().lastIndex(), header.metadata().lastTerm(), size, header.bodyChecksum());
    }

    @Override
    public SnapshotCompression compression() {
        return header.compression();
    }

    @Override
    public long contentLength() {
        return header.contentLength();
    }

    @Override
    public InputStream openStream() throws IOException {
        if (!channel.isOpen()) {
            throw new IOException("snapshot " + file + " is closed");
        }
        return new ContentStream(
                new BodyInput(channel, file, header), BodyCodec.forReading(header), header.contentLength());
    }

    @Override
    public int read(long offset, ByteBuffer target) throws IOException {
        checkOffset(offset);
        if (offset == size) {
            return -1;
        }
        final int count = (int) Math.min(target.remaining(), size - offset);
        final int limit = target.limit();
        target.limit(target.position() + count);
        try {
            long at = offset;
            while (target.hasRemaining()) {
                final int read = channel.read(target, at);
                if (read < 0) {
                    throw new CorruptSnapshotException(file, at, "the file ends before its header says");
                }
                at += read;
            }
        } finally {
            target.limit(limit);
        }
        return count;
    }

    @Override
    public long transferTo(long offset, long count, WritableByteChannel target) throws IOException {
        checkOffset(offset);
        if (count < 0) {
            throw new IllegalArgumentException("negative count " + count);
        }
        Objects.requireNonNull(target, "target");
        final long end = offset + Math.min(count, size - offset);
        long at = offset;
        while (at < end) {
            final long sent = channel.transferTo(at, end - at, target);
            if (sent <= 0) {
                break;
            }
            at += sent;
        }
        return at - offset;
    }

    private void checkOffset(long offset) {
        if (offset < 0 || offset > size) {
            throw new IllegalArgumentException("offset " + offset + " outside the snapshot's " + size + " bytes");
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "snapshot " + file;
    }
}
