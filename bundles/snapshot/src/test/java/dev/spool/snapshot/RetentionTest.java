package dev.spool.snapshot;

import static dev.spool.snapshot.Snapshots.GROUP;
import static dev.spool.snapshot.Snapshots.files;
import static dev.spool.snapshot.Snapshots.flipByte;
import static dev.spool.snapshot.Snapshots.publish;
import static dev.spool.snapshot.Snapshots.publishedFile;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spool.api.spi.snapshot.Snapshot;
import dev.spool.api.spi.snapshot.SnapshotCompression;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention of the newest valid snapshots (behaviour 6 of the store). */
class RetentionTest {
    @TempDir
    Path base;

    private static String name(long index) {
        return SnapshotFileNames.published(index, 1);
    }

    @Test
    @DisplayName("after each publication only the newest N snapshots remain")
    void keepsNewest() throws Exception {
        try (var store = new FileSnapshotStore(base, 2, SnapshotCompression.NONE)) {
            publish(store, 1, 1, 1000);
            assertEquals(List.of(name(1)), files(base));
            publish(store, 2, 1, 1000);
            publish(store, 3, 1, 1000);
            assertEquals(List.of(name(2), name(3)), files(base));
            publish(store, 4, 1, 1000);
            assertEquals(List.of(name(3), name(4)), files(base));
        }
    }

    @Test
    @DisplayName("corrupt snapshots do not count toward retention: the valid ones they would displace are kept")
    void corruptDoNotCount() throws Exception {
        try (var store = new FileSnapshotStore(base, 5, SnapshotCompression.NONE)) {
            publish(store, 1, 1, 1000);
            publish(store, 2, 1, 1000);
            publish(store, 3, 1, 1000);
        }
        flipByte(publishedFile(base, 3, 1), 50);
        try (var store = new FileSnapshotStore(base, 2, SnapshotCompression.NONE)) {
            publish(store, 4, 1, 1000);
            // Newest first: 4 valid, 3 corrupt (not counted), 2 valid: kept; 1 is beyond the two valid ones.
            assertEquals(List.of(name(2), name(3), name(4)), files(base));
            publish(store, 5, 1, 1000);
            assertEquals(List.of(name(4), name(5)), files(base));
        }
    }

    @Test
    @DisplayName("the only valid snapshot is never deleted, whatever newer corrupt files exist")
    void onlyValidSurvives() throws Exception {
        try (var store = new FileSnapshotStore(base, 3, SnapshotCompression.NONE)) {
            publish(store, 7, 1, 1000);
            publish(store, 8, 1, 1000);
        }
        flipByte(publishedFile(base, 7, 1), 200);
        flipByte(publishedFile(base, 8, 1), 200);
        try (var store = new FileSnapshotStore(base, 1, SnapshotCompression.NONE)) {
            publish(store, 3, 1, 1000);
            assertEquals(List.of(name(3), name(7), name(8)), files(base));
            try (Snapshot latest = store.latest(GROUP).orElseThrow()) {
                assertEquals(3, latest.metadata().lastIndex());
            }
        }
        assertEquals(true, Files.exists(publishedFile(base, 3, 1)));
    }
}
