package dev.spool.api.spi.journal;

import java.nio.file.Path;

/**
 * The storage has too little free space: preparing a new segment would take the free space below the configured
 * floor, or the file system refused to create or allocate it (no space or no inode left, or a quota reached).
 * Nothing already written is affected; appends may resume once space is freed, or once a compaction kept a file for
 * reuse.
 */
public class StorageExhaustedException extends JournalException {
    private static final long serialVersionUID = 1L;

    private final transient Path directory;
    private final long usableBytes;
    private final long floorBytes;

    /**
     * Creates the exception.
     *
     * @param directory the directory that ran out of space
     * @param usableBytes the usable bytes the file system reported
     * @param floorBytes the configured free-space floor
     */
    public StorageExhaustedException(Path directory, long usableBytes, long floorBytes) {
        super("storage exhausted in " + directory + ": " + usableBytes + " bytes usable, floor is " + floorBytes
                + " bytes");
        this.directory = directory;
        this.usableBytes = usableBytes;
        this.floorBytes = floorBytes;
    }

    /**
     * Creates the exception for a refusal of the file system (no space, no inode left, or a quota reached).
     *
     * @param directory the directory that ran out of space
     * @param usableBytes the usable bytes the file system reported
     * @param floorBytes the configured free-space floor
     * @param reason what was refused, and the file system's words for it
     */
    public StorageExhaustedException(Path directory, long usableBytes, long floorBytes, String reason) {
        super("storage exhausted in " + directory + ": " + reason + " (" + usableBytes + " bytes usable, floor is "
                + floorBytes + " bytes)");
        this.directory = directory;
        this.usableBytes = usableBytes;
        this.floorBytes = floorBytes;
    }

    /**
     * Returns the directory that ran out of space.
     *
     * @return the directory
     */
    public Path directory() {
        return directory;
    }

    /**
     * Returns the usable bytes the file system reported.
     *
     * @return usable bytes
     */
    public long usableBytes() {
        return usableBytes;
    }

    /**
     * Returns the configured free-space floor.
     *
     * @return the floor in bytes
     */
    public long floorBytes() {
        return floorBytes;
    }
}
