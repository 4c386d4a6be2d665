package dev.spool.snapshot;

import static dev.spool.snapshot.Snapshots.GROUP;
import static dev.spool.snapshot.Snapshots.expectedContent;
import static dev.spool.snapshot.Snapshots.publish;
import static dev.spool.snapshot.Snapshots.readContent;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.spi.snapshot.CorruptSnapshotException;
import dev.spool.api.spi.snapshot.Snapshot;
import dev.spool.api.spi.snapshot.SnapshotCompression;
import dev.spool.api.spi.snapshot.SnapshotDescriptor;
import dev.spool.api.spi.snapshot.SnapshotReceiver;
import dev.spool.api.spi.snapshot.SnapshotTransferException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Chunk reads on the leader and assembly on the follower (behaviours 3 and 4 of the store). */
class ChunkTransferTest {
    private static final long LENGTH = 1_000_000;
    private static final int CHUNK = 64 * 1024 + 7;

    @TempDir
    Path leaderBase;

    @TempDir
    Path followerBase;

    private FileSnapshotStore leader;
    private FileSnapshotStore follower;

    @BeforeEach
    void open() throws Exception {
        leader = new FileSnapshotStore(leaderBase, 2, SnapshotCompression.NONE);
        follower = new FileSnapshotStore(followerBase, 2, SnapshotCompression.NONE);
    }

    @AfterEach
    void close() throws Exception {
        leader.close();
        follower.close();
    }

    /** Sends chunks from the receiver's resume point up to {@code until}; returns the last acknowledgement. */
    private static long send(Snapshot source, SnapshotReceiver receiver, long until) throws Exception {
        final ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        long acknowledged = receiver.nextOffset();
        while (acknowledged < until) {
            chunk.clear().limit((int) Math.min(CHUNK, until - acknowledged));
            assertEquals(chunk.limit(), source.read(acknowledged, chunk));
            acknowledged = receiver.accept(acknowledged, chunk.flip());
            assertFalse(chunk.hasRemaining());
        }
        return acknowledged;
    }

    /** Publishes the snapshot the leader sends (index 10, term 3) and opens it. */
    private Snapshot publishOnLeader() throws Exception {
        publish(leader, 10, 3, LENGTH);
        return leader.latest(GROUP).orElseThrow();
    }

    /** Sends the rest of {@code source}, completes the receiver and checks the installed content. */
    private static void finish(Snapshot source, SnapshotReceiver receiver) throws Exception {
        send(source, receiver, source.descriptor().size());
        try (Snapshot installed = receiver.complete()) {
            assertEquals(source.descriptor(), installed.descriptor());
            assertEquals(expectedContent(source.metadata().lastIndex(), LENGTH), readContent(installed));
        }
    }

    @ParameterizedTest
    @EnumSource(SnapshotCompression.class)
    @DisplayName("chunks read from the leader assemble into a verified, published copy on the follower")
    void transfer(SnapshotCompression compression) throws Exception {
        try (var store = new FileSnapshotStore(leaderBase.resolve(compression.name()), 2, compression)) {
            publish(store, 10, 3, LENGTH);
            try (Snapshot source = store.latest(GROUP).orElseThrow();
                    SnapshotReceiver receiver = follower.receive(GROUP, source.descriptor())) {
                assertEquals(0, receiver.nextOffset());
                send(source, receiver, source.descriptor().size());
                try (Snapshot installed = receiver.complete()) {
                    assertEquals(source.descriptor(), installed.descriptor());
                    assertEquals(source.metadata(), installed.metadata());
                    assertEquals(expectedContent(10, LENGTH), readContent(installed));
                }
            }
        }
        assertArrayEquals(
                Files.readAllBytes(Snapshots.publishedFile(leaderBase.resolve(compression.name()), 10, 3)),
                Files.readAllBytes(Snapshots.publishedFile(followerBase, 10, 3)));
        assertEquals(List.of(SnapshotFileNames.published(10, 3)), Snapshots.files(followerBase));
        try (Snapshot latest = follower.latest(GROUP).orElseThrow()) {
            assertEquals(10, latest.metadata().lastIndex());
        }
    }

    @Test
    @DisplayName("a transfer resumes from the last acknowledged offset after a reconnect and after a restart")
    void resume() throws Exception {
        try (Snapshot source = publishOnLeader()) {
            final SnapshotDescriptor descriptor = source.descriptor();
            final long first;
            try (SnapshotReceiver receiver = follower.receive(GROUP, descriptor)) {
                first = send(source, receiver, descriptor.size() / 3);
            }
            // Reconnect: a new receiver of the same descriptor continues where the first stopped.
            final long second;
            try (SnapshotReceiver receiver = follower.receive(GROUP, descriptor)) {
                assertEquals(first, receiver.nextOffset());
                second = send(source, receiver, 2 * descriptor.size() / 3);
            }
            // Restart: another store instance on the same directory still resumes.
            follower.close();
            follower = new FileSnapshotStore(followerBase, 2, SnapshotCompression.NONE);
            try (SnapshotReceiver receiver = follower.receive(GROUP, descriptor)) {
                assertEquals(second, receiver.nextOffset());
                finish(source, receiver);
            }
        }
    }

    @Test
    @DisplayName("a transfer of another snapshot (index, term or checksum differ) discards the partial one")
    void otherDescriptorStartsOver() throws Exception {
        try (Snapshot source = publishOnLeader()) {
            final SnapshotDescriptor descriptor = source.descriptor();
            try (SnapshotReceiver receiver = follower.receive(GROUP, descriptor)) {
                send(source, receiver, 100_000);
            }
            final var otherChecksum = new SnapshotDescriptor(10, 3, descriptor.size(), descriptor.checksum() + 1);
            final var otherTerm = new SnapshotDescriptor(10, 4, descriptor.size(), descriptor.checksum());
            for (SnapshotDescriptor other : List.of(otherChecksum, otherTerm)) {
                try (SnapshotReceiver receiver = follower.receive(GROUP, other)) {
                    assertEquals(0, receiver.nextOffset());
                }
                assertEquals(List.of(SnapshotFileNames.partial(other)), Snapshots.files(followerBase));
            }
            try (SnapshotReceiver receiver = follower.receive(GROUP, descriptor)) {
                assertEquals(0, receiver.nextOffset());
            }
        }
    }

    @Test
    @DisplayName("a repeated or overlapping chunk is acknowledged again; a gap or an overrun is refused")
    void chunkOrder() throws Exception {
        try (Snapshot source = publishOnLeader();
                SnapshotReceiver receiver = follower.receive(GROUP, source.descriptor())) {
            final long size = source.descriptor().size();
            final long acknowledged = send(source, receiver, 3 * CHUNK);
            // The same chunk again: acknowledged with the same offset, nothing written.
            final ByteBuffer again = ByteBuffer.allocate(CHUNK);
            source.read(acknowledged - CHUNK, again);
            assertEquals(acknowledged, receiver.accept(acknowledged - CHUNK, again.flip()));
            // A chunk straddling the resume point contributes its new tail only.
            final ByteBuffer straddling = ByteBuffer.allocate(1000);
            source.read(acknowledged - 400, straddling);
            assertEquals(acknowledged + 600, receiver.accept(acknowledged - 400, straddling.flip()));
            final var gap = assertThrows(
                    SnapshotTransferException.class,
                    () -> receiver.accept(acknowledged + 601, ByteBuffer.allocate(10)));
            assertTrue(
                    gap.getMessage().contains("gap") && gap.getMessage().contains(Long.toString(acknowledged + 600)),
                    gap.getMessage());
            final var overrun = assertThrows(
                    SnapshotTransferException.class,
                    () -> receiver.accept(
                            acknowledged + 600, ByteBuffer.allocate((int) (size - acknowledged - 600 + 1))));
            assertTrue(overrun.getMessage().contains("runs past"), overrun.getMessage());
            final var early = assertThrows(SnapshotTransferException.class, receiver::complete);
            assertTrue(early.getMessage().contains("incomplete"), early.getMessage());
            // Refusals keep what was received.
            assertEquals(acknowledged + 600, receiver.nextOffset());
            finish(source, receiver);
        }
    }

    @Test
    @DisplayName(
            "bytes damaged in transit fail the final check: nothing is published and the next transfer starts over")
    void badFinalChecksum() throws Exception {
        try (Snapshot source = publishOnLeader()) {
            final SnapshotDescriptor descriptor = source.descriptor();
            try (SnapshotReceiver receiver = follower.receive(GROUP, descriptor)) {
                send(source, receiver, 200_000);
                final ByteBuffer damaged = ByteBuffer.allocate(CHUNK);
                source.read(receiver.nextOffset(), damaged);
                damaged.put(100, (byte) (damaged.get(100) ^ 1));
                receiver.accept(receiver.nextOffset(), damaged.flip());
                send(source, receiver, descriptor.size());
                final var e = assertThrows(SnapshotTransferException.class, receiver::complete);
                assertInstanceOf(CorruptSnapshotException.class, e.getCause());
                assertTrue(e.getMessage().contains("body checksum mismatch"), e.getMessage());
            }
            assertTrue(follower.latest(GROUP).isEmpty());
            assertEquals(List.of(), Snapshots.files(followerBase));
            try (SnapshotReceiver receiver = follower.receive(GROUP, descriptor)) {
                assertEquals(0, receiver.nextOffset());
            }
        }
    }

    @Test
    @DisplayName("bytes of another snapshot under an announced descriptor are refused by the header check")
    void descriptorMismatch() throws Exception {
        try (Snapshot source = publishOnLeader()) {
            final SnapshotDescriptor real = source.descriptor();
            final var claimed = new SnapshotDescriptor(11, 3, real.size(), real.checksum());
            try (SnapshotReceiver receiver = follower.receive(GROUP, claimed)) {
                send(source, receiver, real.size());
                final var e = assertThrows(SnapshotTransferException.class, receiver::complete);
                assertTrue(e.getMessage().contains("the leader announced"), e.getMessage());
            }
            assertTrue(follower.latest(GROUP).isEmpty());
        }
    }

    @Test
    @DisplayName("a new receiver for the group supersedes the open one; abort discards the partial bytes")
    void supersedeAndAbort() throws Exception {
        try (Snapshot source = publishOnLeader()) {
            final SnapshotReceiver stale = follower.receive(GROUP, source.descriptor());
            send(source, stale, 1000);
            final SnapshotReceiver current = follower.receive(GROUP, source.descriptor());
            assertEquals(1000, current.nextOffset());
            assertThrows(IllegalStateException.class, () -> stale.accept(1000, ByteBuffer.allocate(1)));
            stale.abort();
            assertEquals(1, Snapshots.files(followerBase).size(), "the stale receiver does not own the file");
            current.abort();
            assertEquals(List.of(), Snapshots.files(followerBase));
        }
    }

    @Test
    @DisplayName("positioned reads stop at the end; transferTo copies stored bytes from any offset")
    void positionedReads() throws Exception {
        final Path copy = leaderBase.resolve("copy");
        try (Snapshot source = publishOnLeader();
                FileChannel target = FileChannel.open(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            final long size = source.descriptor().size();
            assertEquals(-1, source.read(size, ByteBuffer.allocate(10)));
            assertEquals(7, source.read(size - 7, ByteBuffer.allocate(10)));
            assertThrows(IllegalArgumentException.class, () -> source.read(size + 1, ByteBuffer.allocate(1)));
            long offset = 0;
            while (offset < size) {
                offset += source.transferTo(offset, 100_003, target);
            }
            assertEquals(0, source.transferTo(size, 10, target));
        }
        assertArrayEquals(Files.readAllBytes(Snapshots.publishedFile(leaderBase, 10, 3)), Files.readAllBytes(copy));
    }
}
