package dev.spool.snapshot;

import static dev.spool.snapshot.Snapshots.GROUP;
import static dev.spool.snapshot.Snapshots.MEMBERSHIP;
import static dev.spool.snapshot.Snapshots.expectedContent;
import static dev.spool.snapshot.Snapshots.files;
import static dev.spool.snapshot.Snapshots.metadata;
import static dev.spool.snapshot.Snapshots.publish;
import static dev.spool.snapshot.Snapshots.readContent;
import static dev.spool.snapshot.Snapshots.writeContent;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.spi.snapshot.Snapshot;
import dev.spool.api.spi.snapshot.SnapshotCompression;
import dev.spool.api.spi.snapshot.SnapshotDescriptor;
import dev.spool.api.spi.snapshot.SnapshotStoreLockedException;
import dev.spool.api.spi.snapshot.SnapshotWriter;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Writing, publishing and streaming snapshots back (behaviours 1 and 5 of the store). */
class WriteAndReadTest {
    @TempDir
    Path base;

    @ParameterizedTest
    @EnumSource(SnapshotCompression.class)
    @DisplayName("a committed snapshot streams back exactly the bytes written, with its metadata")
    void roundTrip(SnapshotCompression compression) throws Exception {
        final long length = 3L * PlainBody.BUFFER_SIZE + 12_345;
        try (var store = new FileSnapshotStore(base, 2, compression)) {
            final SnapshotDescriptor descriptor;
            final int written;
            try (SnapshotWriter writer = store.create(GROUP, metadata(7, 2))) {
                written = writeContent(writer, 7, length);
                writer.outputStream().write(42);
                descriptor = writer.commit();
            }
            try (Snapshot snapshot = store.latest(GROUP).orElseThrow()) {
                assertEquals(metadata(7, 2), snapshot.metadata());
                assertEquals(MEMBERSHIP, snapshot.metadata().membership());
                assertEquals(descriptor, snapshot.descriptor());
                assertEquals(compression, snapshot.compression());
                assertEquals(length + 1, snapshot.contentLength());
                assertEquals(Files.size(Snapshots.publishedFile(base, 7, 2)), descriptor.size());
                try (InputStream in = snapshot.openStream()) {
                    final byte[] all = in.readAllBytes();
                    assertEquals(length + 1, all.length);
                    final var crc = new java.util.zip.CRC32C();
                    crc.update(all, 0, (int) length);
                    assertEquals(written, (int) crc.getValue());
                    assertEquals(42, all[(int) length]);
                }
            }
        }
    }

    @Test
    @DisplayName("LZ4 stores compressible content in fewer bytes than it holds")
    void lz4Shrinks() throws Exception {
        try (var store = new FileSnapshotStore(base, 2, SnapshotCompression.LZ4)) {
            final SnapshotDescriptor descriptor = publish(store, 1, 1, 4 << 20);
            assertTrue(descriptor.size() < (4 << 20) * 3 / 4, "stored " + descriptor.size() + " bytes");
        }
    }

    @Test
    @DisplayName("a store reads snapshots written under another compression setting")
    void compressionChangeKeepsOldSnapshotsReadable() throws Exception {
        try (var store = new FileSnapshotStore(base, 3, SnapshotCompression.LZ4)) {
            publish(store, 1, 1, 1 << 20);
        }
        try (var store = new FileSnapshotStore(base, 3, SnapshotCompression.NONE)) {
            publish(store, 2, 1, 1 << 20);
        }
        try (var store = new FileSnapshotStore(base, 3, SnapshotCompression.LZ4)) {
            try (Snapshot latest = store.latest(GROUP).orElseThrow()) {
                assertEquals(SnapshotCompression.NONE, latest.compression());
                assertEquals(expectedContent(2, 1 << 20), readContent(latest));
            }
            try (Snapshot older = FileSnapshot.open(Snapshots.publishedFile(base, 1, 1))) {
                assertEquals(SnapshotCompression.LZ4, older.compression());
                assertEquals(expectedContent(1, 1 << 20), readContent(older));
            }
        }
    }

    @Test
    @DisplayName("an empty snapshot is valid")
    void emptySnapshot() throws Exception {
        try (var store = new FileSnapshotStore(base, 2, SnapshotCompression.LZ4)) {
            try (SnapshotWriter writer = store.create(GROUP, metadata(1, 1))) {
                writer.commit();
            }
            try (Snapshot snapshot = store.latest(GROUP).orElseThrow()) {
                assertEquals(0, snapshot.contentLength());
                try (InputStream in = snapshot.openStream()) {
                    assertEquals(-1, in.read());
                }
            }
        }
    }

    @Test
    @DisplayName("nothing is visible before commit; abort and close without commit leave no file")
    void abortLeavesNoTrace() throws Exception {
        try (var store = new FileSnapshotStore(base, 2, SnapshotCompression.NONE)) {
            final SnapshotWriter aborted = store.create(GROUP, metadata(5, 1));
            writeContent(aborted, 5, 1 << 20);
            assertTrue(store.latest(GROUP).isEmpty(), "an uncommitted snapshot is invisible");
            aborted.abort();
            try (SnapshotWriter closed = store.create(GROUP, metadata(6, 1))) {
                writeContent(closed, 6, 1 << 20);
            }
            assertEquals(List.of(), files(base));
            assertThrows(ClosedChannelException.class, () -> aborted.write(ByteBuffer.allocate(1)));
            assertThrows(ClosedChannelException.class, aborted::commit);
        }
    }

    @Test
    @DisplayName("a writer cannot commit twice, and writing after commit fails")
    void commitOnce() throws Exception {
        try (var store = new FileSnapshotStore(base, 2, SnapshotCompression.NONE);
                SnapshotWriter writer = store.create(GROUP, metadata(1, 1))) {
            writer.commit();
            assertFalse(writer.isOpen());
            assertThrows(ClosedChannelException.class, writer::commit);
            assertThrows(
                    ClosedChannelException.class, () -> writer.outputStream().write(1));
        }
    }

    @Test
    @DisplayName("a temporary file left by a crashed writer is removed when the group is next opened")
    void leftoversRemovedOnOpen() throws Exception {
        final Path leftover = Snapshots.groupDirectory(base)
                .resolve("snapshot-00000000000000000009-" + "00000000000000000001-123.tmp");
        Files.createDirectories(leftover.getParent());
        Files.write(leftover, new byte[100]);
        try (var store = new FileSnapshotStore(base, 2, SnapshotCompression.NONE)) {
            assertTrue(store.latest(GROUP).isEmpty());
            assertFalse(Files.exists(leftover));
        }
    }

    @Test
    @DisplayName("a snapshot of the same index and term replaces the published one")
    void sameIndexReplaces() throws Exception {
        try (var store = new FileSnapshotStore(base, 2, SnapshotCompression.NONE)) {
            publish(store, 4, 1, 1000);
            try (SnapshotWriter writer = store.create(GROUP, metadata(4, 1))) {
                writer.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                writer.commit();
            }
            try (Snapshot snapshot = store.latest(GROUP).orElseThrow();
                    InputStream in = snapshot.openStream()) {
                assertArrayEquals(new byte[] {1, 2, 3}, in.readAllBytes());
            }
            assertEquals(List.of(SnapshotFileNames.published(4, 1)), files(base));
        }
    }

    @Test
    @DisplayName("a second store on the same directory is refused; the first one's close frees it")
    void directoryLocked() throws Exception {
        final var first = new FileSnapshotStore(base, 2, SnapshotCompression.NONE);
        assertThrows(
                SnapshotStoreLockedException.class, () -> new FileSnapshotStore(base, 2, SnapshotCompression.NONE));
        first.close();
        new FileSnapshotStore(base, 2, SnapshotCompression.NONE).close();
    }

    @Test
    @DisplayName("invalid group names and retention are refused, naming the value")
    void invalidArguments() throws Exception {
        try (var store = new FileSnapshotStore(base, 2, SnapshotCompression.NONE)) {
            final var e = assertThrows(IllegalArgumentException.class, () -> store.latest("../etc"));
            assertTrue(e.getMessage().contains("../etc"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> store.latest(FileSnapshotStore.LOCK_FILE));
        }
        final var e = assertThrows(
                IllegalArgumentException.class, () -> new FileSnapshotStore(base, 0, SnapshotCompression.NONE));
        assertTrue(e.getMessage().contains("retain"), e.getMessage());
    }
}
