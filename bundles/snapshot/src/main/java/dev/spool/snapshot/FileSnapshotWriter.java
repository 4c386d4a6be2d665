package dev.spool.snapshot;

import dev.spool.api.spi.snapshot.SnapshotCompression;
import dev.spool.api.spi.snapshot.SnapshotDescriptor;
import dev.spool.api.spi.snapshot.SnapshotMetadata;
import dev.spool.api.spi.snapshot.SnapshotWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Streams a new snapshot into a temporary file of the group's directory. Content is gathered into one block buffer,
 * encoded block by block, and never held in memory beyond that block. The header is written last, at commit, when the
 * body's length and checksum are known; until the rename nothing of the file is visible to readers.
 */
final class FileSnapshotWriter implements SnapshotWriter {
    private final GroupDirectory group;
    private final Path temporary;
    private final FileChannel channel;
    private final SnapshotHeader provisional;
    private final BodyCodec codec;
    private final BodyOutput body;
    private final ByteBuffer block;
    private final OutputStream stream = new BlockStream();
    private long contentLength;
    private boolean finished;

    private FileSnapshotWriter(
            GroupDirectory group,
            Path temporary,
            FileChannel channel,
            SnapshotMetadata metadata,
            SnapshotCompression compression) {
        this.group = group;
        this.temporary = temporary;
        this.channel = channel;
        this.codec = BodyCodec.forWriting(compression);
        this.block = codec.newBlockBuffer();
        this.provisional = SnapshotHeader.provisional(metadata, compression, codec.headerBlockSize());
        this.body = new BodyOutput(channel, provisional.length());
    }

    static FileSnapshotWriter create(GroupDirectory group, SnapshotMetadata metadata, SnapshotCompression compression)
            throws IOException {
        final Path temporary = group.newTemporaryFile(metadata);
        try {
            final FileChannel channel = group.openForWriting(temporary);
            return new FileSnapshotWriter(group, temporary, channel, metadata, compression);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
    }

    @Override
    public SnapshotMetadata metadata() {
        return provisional.metadata();
    }

    @Override
    public OutputStream outputStream() {
        return stream;
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        ensureWritable();
        final int count = source.remaining();
        while (source.hasRemaining()) {
            final int n = Math.min(source.remaining(), block.remaining());
            block.put(block.position(), source, source.position(), n);
            block.position(block.position() + n);
            source.position(source.position() + n);
            emitIfFull();
        }
        contentLength += count;
        return count;
    }

    private void write(byte[] source, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, source.length);
        ensureWritable();
        int at = offset;
        final int end = offset + length;
        while (at < end) {
            final int n = Math.min(end - at, block.remaining());
            block.put(source, at, n);
            at += n;
            emitIfFull();
        }
        contentLength += length;
    }

    private void emitIfFull() throws IOException {
        if (!block.hasRemaining()) {
            emit();
        }
    }

    private void emit() throws IOException {
        try {
            codec.encode(block.flip(), body);
        } catch (IOException e) {
            throw WriteFailures.named(temporary, e);
        }
        block.clear();
    }

    @Override
    public SnapshotDescriptor commit() throws IOException {
        ensureWritable();
        boolean published = false;
        try {
            if (block.position() > 0) {
                emit();
            }
            final ByteBuffer header = provisional
                    .completed(body.length(), contentLength, body.checksum())
                    .encode();
            final var descriptor = new SnapshotDescriptor(
                    metadata().lastIndex(),
                    metadata().lastTerm(),
                    provisional.length() + body.length(),
                    body.checksum());
            try {
                while (header.hasRemaining()) {
                    channel.write(header, header.position());
                }
                channel.force(true);
                channel.close();
                group.publish(temporary, descriptor);
            } catch (IOException e) {
                throw WriteFailures.named(temporary, e);
            }
            published = true;
            return descriptor;
        } finally {
            finished = true;
            if (!published) {
                discard();
            }
        }
    }

    @Override
    public void abort() throws IOException {
        if (!finished) {
            finished = true;
            discard();
        }
    }

    private void discard() throws IOException {
        channel.close();
        Files.deleteIfExists(temporary);
    }

    @Override
    public boolean isOpen() {
        return !finished;
    }

    @Override
    public void close() throws IOException {
        abort();
    }

    private void ensureWritable() throws ClosedChannelException {
        if (finished) {
            throw new ClosedChannelException();
        }
    }

    /** The stream view of this writer; it shares the block buffer, so both views may be mixed. */
    private final class BlockStream extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            ensureWritable();
            block.put((byte) b);
            contentLength++;
            emitIfFull();
        }

        @Override
        public void write(byte[] source, int offset, int length) throws IOException {
            FileSnapshotWriter.this.write(source, offset, length);
        }
    }
}
