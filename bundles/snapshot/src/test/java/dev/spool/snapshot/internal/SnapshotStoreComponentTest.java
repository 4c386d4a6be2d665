package dev.spool.snapshot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.spi.snapshot.SnapshotCompression;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The component's configuration: defaults, the karaf.data rule, and wrong values naming their property. */
class SnapshotStoreComponentTest {
    @TempDir
    Path dir;

    /** A configuration as Declarative Services would hand it over. */
    private static SnapshotStoreConfig config(String baseDirectory, int retain, String compression) {
        return new SnapshotStoreConfig() {
            @Override
            public String baseDirectory() {
                return baseDirectory;
            }

            @Override
            public int retain() {
                return retain;
            }

            @Override
            public String compression() {
                return compression;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return SnapshotStoreConfig.class;
            }
        };
    }

    @Test
    @DisplayName("a relative base directory resolves against karaf.data when set, else against the working directory")
    void relativeBaseDirectory() {
        assertEquals(
                dir.resolve("spool/snapshots"),
                SnapshotStoreSettings.from(config("spool/snapshots", 2, "NONE"), dir.toString())
                        .baseDirectory());
        assertEquals(
                Path.of("spool/snapshots").toAbsolutePath(),
                SnapshotStoreSettings.from(config("spool/snapshots", 2, "NONE"), null)
                        .baseDirectory());
        assertEquals(
                dir.resolve("abs"),
                SnapshotStoreSettings.from(config(dir.resolve("abs").toString(), 2, "NONE"), "/elsewhere")
                        .baseDirectory());
    }

    @Test
    @DisplayName("compression is read case-insensitively")
    void compressionValues() {
        assertEquals(
                SnapshotCompression.LZ4,
                SnapshotStoreSettings.from(config("s", 1, "lz4"), null).compression());
        assertEquals(
                SnapshotCompression.NONE,
                SnapshotStoreSettings.from(config("s", 1, " NONE "), null).compression());
    }

    @Test
    @DisplayName("wrong values fail activation with a message naming the property and the value")
    void wrongValues() {
        assertNamed("retain", "0", () -> new SnapshotStoreComponent(config(dir.toString(), 0, "NONE")));
        assertNamed("compression", "ZSTD", () -> new SnapshotStoreComponent(config(dir.toString(), 2, "ZSTD")));
        assertNamed("baseDirectory", "", () -> new SnapshotStoreComponent(config(" ", 2, "NONE")));
        assertNamed("baseDirectory", "bad\0path", () -> new SnapshotStoreComponent(config("bad\0path", 2, "NONE")));
    }

    private static void assertNamed(String property, String value, org.junit.jupiter.api.function.Executable action) {
        final var e = assertThrows(IllegalArgumentException.class, action);
        assertTrue(
                e.getMessage().contains("property " + property)
                        && e.getMessage().contains("'" + value.strip()),
                e.getMessage());
    }

    @Test
    @DisplayName("the component opens a working store and deactivation releases its directory")
    void activateAndDeactivate() throws Exception {
        final var component = new SnapshotStoreComponent(config(dir.toString(), 3, "LZ4"));
        assertEquals(dir, component.baseDirectory());
        assertEquals(3, component.retain());
        assertEquals(SnapshotCompression.LZ4, component.compression());
        assertTrue(component.latest("g").isEmpty());
        assertTrue(Files.isDirectory(dir.resolve("g")));
        component.deactivate();
        new SnapshotStoreComponent(config(dir.toString(), 3, "LZ4")).deactivate();
    }
}
