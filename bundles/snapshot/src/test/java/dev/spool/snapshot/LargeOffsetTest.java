package dev.spool.snapshot;

import static dev.spool.snapshot.Snapshots.GROUP;
import static dev.spool.snapshot.Snapshots.metadata;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spool.api.spi.snapshot.Snapshot;
import dev.spool.api.spi.snapshot.SnapshotCompression;
import dev.spool.api.spi.snapshot.SnapshotDescriptor;
import dev.spool.api.spi.snapshot.SnapshotReceiver;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offsets beyond 2^31 in chunk reads, transfers and receiving, over a sparse snapshot file of a little more than 2 GiB
 * whose body is a hole followed by one MiB of data: the file takes one MiB of disk.
 */
class LargeOffsetTest {
    private static final long HOLE = (2L << 30) + 12_345;
    private static final int TAIL = 1 << 20;

    @TempDir
    Path base;

    /** Returns the header of the sparse snapshot: a body of {@code HOLE} zeros, then {@code tail}. */
    private static SnapshotHeader sparseHeader(byte[] tail) {
        final CRC32C crc = new CRC32C();
        final ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
        for (long done = 0; done < HOLE; done += zeros.capacity()) {
            crc.update(zeros.clear().limit((int) Math.min(zeros.capacity(), HOLE - done)));
        }
        crc.update(tail);
        return SnapshotHeader.provisional(metadata(9, 2), SnapshotCompression.NONE, 0)
                .completed(HOLE + TAIL, HOLE + TAIL, (int) crc.getValue());
    }

    /** Writes the first {@code upTo} bytes of the sparse snapshot file at {@code file}, leaving the hole unwritten. */
    private static void writeSparse(Path file, SnapshotHeader header, byte[] tail, long upTo) throws Exception {
        Files.createDirectories(file.getParent());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(header.encode(), 0);
            final long tailStart = header.length() + HOLE;
            final long tailBytes = Math.min(TAIL, upTo - tailStart);
            if (tailBytes > 0) {
                channel.write(ByteBuffer.wrap(tail, 0, (int) tailBytes), tailStart);
            } else {
                channel.truncate(upTo);
                channel.write(ByteBuffer.allocate(1), upTo - 1);
            }
        }
    }

    private static byte[] tail() {
        final byte[] tail = new byte[TAIL];
        Snapshots.content(9, 0, tail, TAIL);
        return tail;
    }

    @Test
    @DisplayName("chunk reads, transferTo and a resumed receive work at offsets beyond 2^31")
    void offsetsBeyondTwoGiB() throws Exception {
        final byte[] tail = tail();
        final Path published = Snapshots.publishedFile(base.resolve("leader"), 9, 2);
        final SnapshotHeader header = sparseHeader(tail);
        writeSparse(published, header, tail, Long.MAX_VALUE);
        final long tailStart = header.length() + HOLE;
        // Opened without the store's verification: the receiver below reads and checks all 2 GiB once.
        try (Snapshot source = FileSnapshot.open(published)) {
            final SnapshotDescriptor descriptor = source.descriptor();
            assertEquals(tailStart + TAIL, descriptor.size());

            final ByteBuffer chunk = ByteBuffer.allocate(4096);
            assertEquals(4096, source.read(tailStart + 1000, chunk));
            assertArrayEquals(java.util.Arrays.copyOfRange(tail, 1000, 1000 + 4096), chunk.array());

            final var sink = new ByteArrayOutputStream();
            assertEquals(5000, source.transferTo(tailStart + 77, 5000, Channels.newChannel(sink)));
            assertArrayEquals(java.util.Arrays.copyOfRange(tail, 77, 77 + 5000), sink.toByteArray());

            // A follower that already holds everything up to beyond 2^31 resumes there and completes.
            final long resumeAt = tailStart + 3;
            final Path followerBase = base.resolve("follower");
            writeSparse(
                    Snapshots.groupDirectory(followerBase).resolve(SnapshotFileNames.partial(descriptor)),
                    header,
                    tail,
                    resumeAt);
            try (var follower = new FileSnapshotStore(followerBase, 2, SnapshotCompression.NONE);
                    SnapshotReceiver receiver = follower.receive(GROUP, descriptor)) {
                assertEquals(resumeAt, receiver.nextOffset());
                final ByteBuffer piece = ByteBuffer.allocate(256 << 10);
                for (long offset = resumeAt; offset < descriptor.size(); ) {
                    source.read(offset, piece.clear());
                    offset = receiver.accept(offset, piece.flip());
                }
                try (Snapshot installed = receiver.complete()) {
                    assertEquals(descriptor, installed.descriptor());
                    final ByteBuffer end = ByteBuffer.allocate(100);
                    installed.read(descriptor.size() - 100, end);
                    assertArrayEquals(java.util.Arrays.copyOfRange(tail, TAIL - 100, TAIL), end.array());
                }
            }
        }
    }
}
