package dev.spool.snapshot;

import static dev.spool.snapshot.Snapshots.GROUP;
import static dev.spool.snapshot.Snapshots.metadata;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.spi.snapshot.Snapshot;
import dev.spool.api.spi.snapshot.SnapshotCompression;
import dev.spool.api.spi.snapshot.SnapshotReceiver;
import dev.spool.api.spi.snapshot.SnapshotStorageExhaustedException;
import dev.spool.api.spi.snapshot.SnapshotWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full disk refuses a snapshot with an error that names the file and says the disk is full. */
class FullDiskTest {
    @TempDir
    Path base;
    /** The bytes the faked file system has left for the next snapshot file. */
    final AtomicLong capacity = new AtomicLong(Long.MAX_VALUE);

    private FileSnapshotStore store() throws Exception {
        return new FileSnapshotStore(
                base,
                2,
                SnapshotCompression.NONE,
                file -> new FullDiskChannel(FileChannel.open(file, StandardOpenOption.WRITE), capacity.get()));
    }

    private void assertNamesTheFile(SnapshotStorageExhaustedException e) {
        assertEquals(Snapshots.groupDirectory(base), e.file().getParent());
        assertTrue(e.file().getFileName().toString().endsWith(".tmp"), e.file().toString());
        assertTrue(
                e.getMessage().contains(e.file().toString()) && e.getMessage().contains("disk is full"),
                e.getMessage());
    }

    @Test
    @DisplayName("content that does not fit fails naming the file; the temporary file goes, the last snapshot stays")
    void writeOnAFullDisk() throws Exception {
        try (FileSnapshotStore store = store()) {
            Snapshots.publish(store, 1, 1, 10_000);
            capacity.set(100_000);
            SnapshotStorageExhaustedException e;
            try (SnapshotWriter writer = store.create(GROUP, metadata(2, 1))) {
                e = assertThrows(
                        SnapshotStorageExhaustedException.class, () -> Snapshots.writeContent(writer, 2, 3_000_000));
            }
            assertNamesTheFile(e);
            assertTrue(Files.notExists(e.file()), "the temporary file is deleted once the writer is closed");
            assertEquals(List.of(SnapshotFileNames.published(1, 1)), Snapshots.files(base));
            try (Snapshot latest = store.latest(GROUP).orElseThrow()) {
                assertEquals(1, latest.metadata().lastIndex());
            }
        }
    }

    @Test
    @DisplayName("a commit whose last bytes do not fit fails naming the file, and publishes nothing")
    void commitOnAFullDisk() throws Exception {
        try (FileSnapshotStore store = store()) {
            capacity.set(5_000);
            try (SnapshotWriter writer = store.create(GROUP, metadata(2, 1))) {
                Snapshots.writeContent(writer, 2, 10_000);
                assertNamesTheFile(assertThrows(SnapshotStorageExhaustedException.class, writer::commit));
            }
            assertEquals(List.of(), Snapshots.files(base));
        }
    }

    @Test
    @DisplayName("a received chunk that does not fit fails naming the partial file, which keeps what was received")
    void receiveOnAFullDisk() throws Exception {
        try (FileSnapshotStore leader = new FileSnapshotStore(base.resolve("leader"), 2, SnapshotCompression.NONE);
                FileSnapshotStore follower = new FileSnapshotStore(
                        base.resolve("follower"),
                        2,
                        SnapshotCompression.NONE,
                        file -> new FullDiskChannel(
                                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                                100_000))) {
            Snapshots.publish(leader, 5, 2, 600_000);
            try (Snapshot source = leader.latest(GROUP).orElseThrow();
                    SnapshotReceiver receiver = follower.receive(GROUP, source.descriptor())) {
                ByteBuffer chunk = ByteBuffer.allocate(64 << 10);
                SnapshotStorageExhaustedException e = assertThrows(SnapshotStorageExhaustedException.class, () -> {
                    for (long offset = 0; ; offset = receiver.nextOffset()) {
                        source.read(offset, chunk.clear());
                        receiver.accept(offset, chunk.flip());
                    }
                });
                assertEquals(
                        Snapshots.groupDirectory(base.resolve("follower")),
                        e.file().getParent());
                assertTrue(
                        e.file().getFileName().toString().endsWith(".partial"),
                        e.file().toString());
                assertTrue(e.getMessage().contains("disk is full"), e.getMessage());
                assertEquals(64 << 10, receiver.nextOffset(), "the chunks received are kept");
                assertEquals(64 << 10, Files.size(e.file()));
            }
        }
    }
}
