package dev.spool.snapshot;

import dev.spool.api.spi.snapshot.SnapshotException;
import dev.spool.api.spi.snapshot.SnapshotStorageExhaustedException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * Turns a file system's failure to write a snapshot file into one that names the file, and tells a full file system
 * apart: a channel reports {@code ENOSPC} or {@code EDQUOT} as a bare {@link IOException} with the system's words.
 */
final class WriteFailures {
    private WriteFailures() {}

    /**
     * Returns the failure to report for {@code failure} while writing {@code file}.
     *
     * @return a {@link SnapshotStorageExhaustedException} for a full file system, {@code failure} itself if it is
     *     already a {@link SnapshotException}, else a {@link SnapshotException} naming the file
     */
    static IOException named(Path file, IOException failure) {
        if (failure instanceof SnapshotException) {
            return failure;
        }
        final String given =
                failure instanceof FileSystemException refused ? refused.getReason() : failure.getMessage();
        final String reason = given == null ? failure.getClass().getSimpleName() : given;
        if (reason.contains("No space left on device") || reason.contains("Disk quota exceeded")) {
            return new SnapshotStorageExhaustedException(file, reason, failure);
        }
        return new SnapshotException("cannot write snapshot file " + file + ": " + reason, failure);
    }
}
