package dev.spool.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.spi.snapshot.SnapshotCompression;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Snapshots far larger than the heap are written, streamed and transferred in chunks by a JVM limited to 16 MiB
 * (behaviour 7 of the store): 256 MiB in the standard tier, 2 GiB in the long tier.
 */
class MemoryBoundTest {
    private static final long LENGTH = "long".equals(System.getProperty("spool.test.tier")) ? 2L << 30 : 256L << 20;

    @TempDir
    Path base;

    @ParameterizedTest
    @EnumSource(SnapshotCompression.class)
    @DisplayName("write, stream and chunk-transfer a snapshot much larger than a 16 MiB heap")
    void largeSnapshotInSmallHeap(SnapshotCompression compression) throws Exception {
        try (ChildJvm child = ChildJvm.start(
                List.of("-Xmx16m", "-XX:+UseSerialGC"),
                "round-trip",
                base.toString(),
                Long.toString(LENGTH),
                compression.name())) {
            final int exit = child.await(900);
            assertEquals(0, exit, child.transcript());
            assertTrue(child.transcript().contains("ROUND-TRIP OK " + LENGTH), child.transcript());
        }
    }
}
