package dev.spool.snapshot;

import dev.spool.api.spi.snapshot.CorruptSnapshotException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Reads a snapshot's stored body front to back, keeping the CRC32C of what it read, and checks that checksum once the
 * body is consumed. Used by one reading thread.
 */
final class BodyInput {
    private final FileChannel channel;
    private final Path file;
    private final long start;
    private final long end;
    private final int expectedChecksum;
    private final CRC32C checksum = new CRC32C();
    private long position;

    BodyInput(FileChannel channel, Path file, SnapshotHeader header) {
        this.channel = channel;
        this.file = file;
        this.start = header.length();
        this.position = start;
        this.end = start + header.bodyLength();
        this.expectedChecksum = header.bodyChecksum();
    }

    Path file() {
        return file;
    }

    /** Returns the file offset of the next stored byte. */
    long position() {
        return position;
    }

    long remaining() {
        return end - position;
    }

    /**
     * Fills {@code target} from its position to its limit with the next stored bytes.
     *
     * @param what names the bytes for the error if the body ends before {@code target} is full
     */
    void readFully(ByteBuffer target, String what) throws IOException {
        if (target.remaining() > remaining()) {
            throw new CorruptSnapshotException(
                    file,
                    position,
                    what + " of " + target.remaining() + " bytes runs past the end of the body (" + remaining()
                            + " bytes left)");
        }
        final int from = target.position();
        SnapshotHeader.readFully(channel, target, position, file, "body");
        position += target.position() - from;
        checksum.update(target.flip().position(from));
    }

    /**
     * Checks the checksum of the whole body; call once every stored byte was read.
     *
     * @throws CorruptSnapshotException if it differs from the header's
     */
    void verifyChecksum() throws CorruptSnapshotException {
        if (position != end) {
            throw new IllegalStateException("body checksum checked at " + position + ", before the end " + end);
        }
        final int computed = (int) checksum.getValue();
        if (computed != expectedChecksum) {
            throw new CorruptSnapshotException(
                    file,
                    start,
                    String.format(
                            "body checksum mismatch: header says %08x, body has %08x", expectedChecksum, computed));
        }
    }
}
