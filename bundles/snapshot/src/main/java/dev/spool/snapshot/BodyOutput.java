package dev.spool.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/** Appends stored body bytes to a snapshot file, keeping their count and CRC32C. Used by one writing thread. */
final class BodyOutput {
    private final FileChannel channel;
    private final long start;
    private final CRC32C checksum = new CRC32C();
    private long position;

    BodyOutput(FileChannel channel, long start) {
        this.channel = channel;
        this.start = start;
        this.position = start;
    }

    /** Writes {@code stored} from its position to its limit, which it advances. */
    void write(ByteBuffer stored) throws IOException {
        final int from = stored.position();
        checksum.update(stored);
        stored.position(from);
        while (stored.hasRemaining()) {
            position += channel.write(stored, position);
        }
    }

    long length() {
        return position - start;
    }

    int checksum() {
        return (int) checksum.getValue();
    }
}
