package dev.spool.api.spi.snapshot;

import java.nio.file.Path;

/**
 * A stored snapshot failed a check: its header checksum, its body checksum, its length, or the framing or content of
 * a compressed block. Its bytes are not served; the file is left as it is.
 */
public class CorruptSnapshotException extends SnapshotException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    /**
     * Creates the exception.
     *
     * @param file the snapshot file
     * @param offset the byte offset within the file where the bad data starts
     * @param reason what check failed
     */
    public CorruptSnapshotException(Path file, long offset, String reason) {
        super("corrupt snapshot " + file + " at offset " + offset + ": " + reason);
        this.file = file;
        this.offset = offset;
    }

    /**
     * Returns the snapshot file.
     *
     * @return the file
     */
    public Path file() {
        return file;
    }

    /**
     * Returns the byte offset within the file where the bad data starts.
     *
     * @return the offset
     */
    public long offset() {
        return offset;
    }
}
