package dev.spool.snapshot.internal;

import dev.spool.api.spi.snapshot.SnapshotCompression;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The checked values of a {@link SnapshotStoreConfig}: a wrong value fails here, naming the property.
 *
 * @param baseDirectory the absolute base directory
 * @param retain how many valid snapshots each group keeps
 * @param compression how new snapshots are encoded
 */
record SnapshotStoreSettings(Path baseDirectory, int retain, SnapshotCompression compression) {

    /** The system property a relative base directory is resolved against, when it is set. */
    static final String KARAF_DATA = "karaf.data";

    /**
     * Checks a configuration.
     *
     * @param config the configuration
     * @param karafData the value of the {@code karaf.data} system property, or {@code null}
     * @return the settings
     * @throws IllegalArgumentException naming the property whose value is wrong
     */
    static SnapshotStoreSettings from(SnapshotStoreConfig config, String karafData) {
        return new SnapshotStoreSettings(
                baseDirectory(config.baseDirectory(), karafData),
                retain(config.retain()),
                compression(config.compression()));
    }

    private static Path baseDirectory(String value, String karafData) {
        if (value == null || value.isBlank()) {
            throw invalid("baseDirectory", value, "it must not be empty");
        }
        try {
            final Path path = Path.of(value.strip());
            final Path base = path.isAbsolute() || karafData == null
                    ? path
                    : Path.of(karafData).resolve(path);
            return base.toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw invalid("baseDirectory", value, e.getMessage());
        }
    }

    private static int retain(int value) {
        if (value < 1) {
            throw invalid("retain", Integer.toString(value), "it must be at least 1");
        }
        return value;
    }

    private static SnapshotCompression compression(String value) {
        try {
            return SnapshotCompression.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw invalid("compression", value, "it must be NONE or LZ4");
        }
    }

    private static IllegalArgumentException invalid(String property, String value, String rule) {
        return new IllegalArgumentException("invalid value '" + value + "' of property " + property + " in "
                + SnapshotStoreComponent.PID + ": " + rule);
    }
}
