package dev.spool.api.spi.snapshot;

import java.nio.file.Path;

/** A snapshot store's directory is in use by another store instance, in this JVM or another. */
public class SnapshotStoreLockedException extends SnapshotException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param lockFile the lock file another store holds
     */
    public SnapshotStoreLockedException(Path lockFile) {
        super("snapshot store is open elsewhere: " + lockFile + " is locked");
    }
}
