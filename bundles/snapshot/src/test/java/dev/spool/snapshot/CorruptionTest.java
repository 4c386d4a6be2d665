package dev.spool.snapshot;

import static dev.spool.snapshot.Snapshots.GROUP;
import static dev.spool.snapshot.Snapshots.expectedContent;
import static dev.spool.snapshot.Snapshots.flipByte;
import static dev.spool.snapshot.Snapshots.header;
import static dev.spool.snapshot.Snapshots.publish;
import static dev.spool.snapshot.Snapshots.publishedFile;
import static dev.spool.snapshot.Snapshots.readContent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.spi.snapshot.CorruptSnapshotException;
import dev.spool.api.spi.snapshot.Snapshot;
import dev.spool.api.spi.snapshot.SnapshotCompression;
import dev.spool.testing.LogCapture;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Checksums and the fallback to the newest snapshot that verifies (behaviours 2 and 5 of the store). */
class CorruptionTest {
    private static final long LENGTH = 600_000;

    @TempDir
    Path base;

    /** Publishes index 1 and 2 (as two store instances, so nothing is known verified), returns the newer file. */
    private Path publishTwo(SnapshotCompression compression) throws Exception {
        try (var store = new FileSnapshotStore(base, 5, compression)) {
            publish(store, 1, 1, LENGTH);
            publish(store, 2, 1, LENGTH);
        }
        return publishedFile(base, 2, 1);
    }

    /** Asserts a fresh store's latest() is index 1, and that it logged the reason it skipped index 2. */
    private void assertFallsBackToFirst(String expectedReason) throws Exception {
        try (var store = new FileSnapshotStore(base, 5, SnapshotCompression.NONE);
                var log = new LogCapture(GroupDirectory.class);
                Snapshot latest = store.latest(GROUP).orElseThrow()) {
            assertEquals(1, latest.metadata().lastIndex());
            assertEquals(expectedContent(1, LENGTH), readContent(latest));
            final List<String> messages = log.messages();
            assertEquals(1, messages.size(), messages.toString());
            final String message = messages.get(0);
            assertTrue(message.startsWith("WARNING skipping snapshot " + publishedFile(base, 2, 1)), message);
            assertTrue(message.contains(expectedReason), message);
        }
    }

    @ParameterizedTest
    @ValueSource(
            longs = {
                0,
                SnapshotHeader.OFFSET_LAST_INDEX,
                SnapshotHeader.OFFSET_BODY_CHECKSUM,
                SnapshotHeader.FIXED_LENGTH + 3
            })
    @DisplayName("a flipped byte in the header is caught, and latest() falls back to the previous snapshot")
    void flippedHeaderByte(long offset) throws Exception {
        final Path newer = publishTwo(SnapshotCompression.NONE);
        flipByte(newer, offset);
        final var e = assertThrows(CorruptSnapshotException.class, () -> FileSnapshot.open(newer));
        assertEquals(newer, e.file());
        assertFallsBackToFirst(offset == 0 ? "bad magic number" : "header checksum mismatch");
    }

    @ParameterizedTest
    @EnumSource(SnapshotCompression.class)
    @DisplayName("a flipped byte in the body fails the body checksum; latest() falls back, the stream fails at its end")
    void flippedBodyByte(SnapshotCompression compression) throws Exception {
        final Path newer = publishTwo(compression);
        final long offset = Files.size(newer) - 1000;
        flipByte(newer, offset);
        try (FileSnapshot opened = FileSnapshot.open(newer)) {
            final var e = assertThrows(CorruptSnapshotException.class, opened::verify);
            assertTrue(
                    e.getMessage().contains(newer.toString()) && e.getMessage().contains("body checksum"),
                    e.getMessage());
            assertThrows(CorruptSnapshotException.class, () -> readContent(opened));
        }
        assertFallsBackToFirst("body checksum mismatch");
    }

    @ParameterizedTest
    @ValueSource(longs = {10, SnapshotHeader.FIXED_LENGTH + 2, 5000})
    @DisplayName("a truncated file is caught, naming the file, and latest() falls back")
    void truncated(long keep) throws Exception {
        final Path newer = publishTwo(SnapshotCompression.NONE);
        Snapshots.truncate(newer, keep);
        final var e = assertThrows(CorruptSnapshotException.class, () -> FileSnapshot.open(newer));
        assertEquals(newer, e.file());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertFallsBackToFirst("truncated");
    }

    @Test
    @DisplayName("bytes appended after the body are caught")
    void trailingBytes() throws Exception {
        final Path newer = publishTwo(SnapshotCompression.NONE);
        Files.write(newer, new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
        assertFallsBackToFirst("trailing bytes");
    }

    @Test
    @DisplayName("a corrupt LZ4 block is a CorruptSnapshotException even when the body checksum was made to match")
    void corruptCompressedBlock() throws Exception {
        final Path newer = publishTwo(SnapshotCompression.LZ4);
        final SnapshotHeader header = header(newer);
        // The first block is compressible text: damage its LZ4 data, then reseal the body checksum.
        final long firstBlockData = header.length() + Lz4Body.FRAME_LENGTH;
        for (int i = 0; i < 64; i++) {
            flipByte(newer, firstBlockData + 3 + i);
        }
        Snapshots.resealBody(newer);
        try (FileSnapshot opened = FileSnapshot.open(newer)) {
            opened.verify();
            final var e = assertThrows(CorruptSnapshotException.class, () -> readContent(opened));
            assertEquals(newer, e.file());
            assertTrue(e.getMessage().contains("compressed block"), e.getMessage());
        }
    }

    @Test
    @DisplayName("a block frame with an impossible length is refused before anything is allocated or read")
    void corruptBlockFrame() throws Exception {
        final Path newer = publishTwo(SnapshotCompression.LZ4);
        final long frame = header(newer).length();
        flipByte(newer, frame + 1);
        Snapshots.resealBody(newer);
        try (FileSnapshot opened = FileSnapshot.open(newer)) {
            final var e = assertThrows(CorruptSnapshotException.class, () -> readContent(opened));
            assertEquals(frame, e.offset());
            assertTrue(e.getMessage().contains("content length"), e.getMessage());
        }
    }

    @Test
    @DisplayName("with every snapshot corrupt latest() is empty and nothing is deleted")
    void allCorrupt() throws Exception {
        final Path newer = publishTwo(SnapshotCompression.NONE);
        flipByte(newer, 100);
        flipByte(publishedFile(base, 1, 1), 100);
        try (var store = new FileSnapshotStore(base, 5, SnapshotCompression.NONE)) {
            assertTrue(store.latest(GROUP).isEmpty());
        }
        assertEquals(2, Snapshots.files(base).size());
    }

    /** How a state machine may read exactly the content length, never asking for more. */
    enum ReadPattern {
        READ_N_BYTES {
            @Override
            void read(InputStream in, int length) throws IOException {
                in.readNBytes(new byte[length], 0, length);
            }
        },
        BYTE_BY_BYTE {
            @Override
            void read(InputStream in, int length) throws IOException {
                for (int i = 0; i < length; i++) {
                    in.read();
                }
            }
        },
        DATA_INPUT {
            @Override
            void read(InputStream in, int length) throws IOException {
                new DataInputStream(in).readFully(new byte[length]);
            }
        };

        abstract void read(InputStream in, int length) throws IOException;
    }

    @ParameterizedTest
    @MethodSource("compressionsAndPatterns")
    @DisplayName("a file corrupted after the store verified it fails a stream that reads exactly its content length")
    void corruptedAfterVerification(SnapshotCompression compression, ReadPattern pattern) throws Exception {
        try (var store = new FileSnapshotStore(base, 5, compression)) {
            publish(store, 1, 1, LENGTH);
            final Path file = publishedFile(base, 1, 1);
            try (Snapshot first = store.latest(GROUP).orElseThrow()) {
                assertEquals(expectedContent(1, LENGTH), readContent(first));
            }
            flipByte(file, Files.size(file) - 1000);
            try (Snapshot again = store.latest(GROUP).orElseThrow();
                    InputStream in = again.openStream()) {
                final var e = assertThrows(CorruptSnapshotException.class, () -> pattern.read(in, (int) LENGTH));
                assertEquals(file, e.file());
            }
        }
    }

    static Stream<Arguments> compressionsAndPatterns() {
        return Stream.of(SnapshotCompression.values())
                .flatMap(compression ->
                        Stream.of(ReadPattern.values()).map(pattern -> Arguments.of(compression, pattern)));
    }
}
