package dev.spool.api.spi.snapshot;

import java.nio.file.Path;

/**
 * The file system refused to store a snapshot file for want of space (no space or no inode left, or a quota
 * reached). The snapshot being written or received is not published; snapshots published before are untouched, and
 * a later attempt may succeed once space is freed.
 */
public class SnapshotStorageExhaustedException extends SnapshotException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * Creates the exception.
     *
     * @param file the snapshot file that could not be created or written
     * @param reason the file system's words for the refusal
     * @param cause the file system's failure
     */
    public SnapshotStorageExhaustedException(Path file, String reason, Throwable cause) {
        super("storage exhausted writing snapshot file " + file + ": the disk is full (" + reason + ")", cause);
        this.file = file;
    }

    /**
     * Returns the snapshot file that could not be created or written.
     *
     * @return the file
     */
    public Path file() {
        return file;
    }
}
