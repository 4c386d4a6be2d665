package dev.spool.journal.internal.osgi;

import dev.spool.api.group.Durability;
import dev.spool.api.spi.journal.JournalSpec;
import dev.spool.journal.internal.SegmentedJournal;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The checked values of a {@link JournalConfiguration}: every wrong value is refused with an error naming the
 * property and the value.
 *
 * @param baseDirectory the absolute base directory
 * @param spec the default journal spec
 * @param freeSpaceFloor the free-space floor in bytes
 */
record JournalSettings(Path baseDirectory, JournalSpec spec, long freeSpaceFloor) {

    /**
     * Checks configured values.
     *
     * @param baseDirectory the configured base directory
     * @param segmentSize the configured segment size
     * @param maxEntrySize the configured maximum entry size
     * @param durability the configured durability name
     * @param freeSpaceFloor the configured free-space floor
     * @param karafData the {@code karaf.data} directory, or {@code null}
     * @return the settings
     * @throws IllegalArgumentException naming the property and value that are wrong
     */
    static JournalSettings of(
            String baseDirectory,
            int segmentSize,
            int maxEntrySize,
            String durability,
            long freeSpaceFloor,
            String karafData) {
        if (segmentSize < JournalSpec.MIN_SEGMENT_SIZE || segmentSize > JournalSpec.MAX_SEGMENT_SIZE) {
            throw invalid(
                    "segmentSize",
                    segmentSize,
                    "must be between " + JournalSpec.MIN_SEGMENT_SIZE + " and " + JournalSpec.MAX_SEGMENT_SIZE
                            + " bytes");
        }
        int largest = SegmentedJournal.largestEntry(segmentSize);
        if (maxEntrySize < 1 || maxEntrySize > largest) {
            throw invalid(
                    "maxEntrySize",
                    maxEntrySize,
                    "must be between 1 and " + largest + " bytes (what a segment of segmentSize=" + segmentSize
                            + " holds after its headers)");
        }
        Durability level;
        try {
            level = Durability.valueOf(durability);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw invalid("durability", durability, "must be NONE or SYNC");
        }
        if (freeSpaceFloor < 0) {
            throw invalid("freeSpaceFloor", freeSpaceFloor, "must not be negative");
        }
        if (baseDirectory == null || baseDirectory.isBlank()) {
            throw invalid("baseDirectory", baseDirectory, "must name a directory");
        }
        Path directory;
        try {
            directory = Path.of(baseDirectory);
            if (!directory.isAbsolute() && karafData != null) {
                directory = Path.of(karafData).resolve(directory);
            }
        } catch (InvalidPathException e) {
            throw invalid("baseDirectory", baseDirectory, "is not a valid path: " + e.getReason());
        }
        return new JournalSettings(
                directory.toAbsolutePath(), new JournalSpec(level, segmentSize, maxEntrySize), freeSpaceFloor);
    }

    private static IllegalArgumentException invalid(String property, Object value, String rule) {
        return new IllegalArgumentException(
                "configuration " + JournalConfiguration.PID + ": " + property + "=" + value + " " + rule);
    }
}
