package dev.spool.snapshot;

import static dev.spool.snapshot.Snapshots.GROUP;
import static dev.spool.snapshot.Snapshots.expectedContent;
import static dev.spool.snapshot.Snapshots.files;
import static dev.spool.snapshot.Snapshots.readContent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.spi.snapshot.Snapshot;
import dev.spool.api.spi.snapshot.SnapshotCompression;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer process killed with SIGKILL never leaves a half-written snapshot visible (behaviour 1 of the store). */
class CrashTest {
    @TempDir
    Path base;

    @Test
    @DisplayName("killed mid-write: the previous snapshot is still the latest and the temporary file is removed")
    void killedMidWrite() throws Exception {
        try (ChildJvm child = ChildJvm.start(List.of(), "write-forever", base.toString())) {
            child.awaitLine("WRITING");
            child.kill();
        }
        assertTrue(files(base).stream().anyMatch(SnapshotFileNames::isTemporary), "the kill left a temporary file");
        try (var store = new FileSnapshotStore(base, 2, SnapshotCompression.NONE);
                Snapshot latest = store.latest(GROUP).orElseThrow()) {
            assertEquals(1, latest.metadata().lastIndex());
            assertEquals(expectedContent(1, 100_000), readContent(latest));
            assertEquals(List.of(SnapshotFileNames.published(1, 1)), files(base));
        }
    }

    @Test
    @DisplayName("killed mid-publish: the latest is the previous or the new snapshot, complete, never a torn one")
    void killedMidPublish() throws Exception {
        final long length = 48L << 20;
        try (ChildJvm child = ChildJvm.start(List.of(), "commit", base.toString(), Long.toString(length))) {
            child.awaitLine("COMMITTING");
            child.kill();
        }
        try (var store = new FileSnapshotStore(base, 2, SnapshotCompression.NONE);
                Snapshot latest = store.latest(GROUP).orElseThrow()) {
            final long index = latest.metadata().lastIndex();
            assertTrue(index == 1 || index == 2, "latest index " + index);
            assertEquals(expectedContent(index, index == 1 ? 100_000 : length), readContent(latest));
            assertTrue(
                    files(base).stream().allMatch(SnapshotFileNames::isPublished),
                    files(base).toString());
        }
    }
}
