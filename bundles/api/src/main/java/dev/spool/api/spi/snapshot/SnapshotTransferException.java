package dev.spool.api.spi.snapshot;

/**
 * A follower refused what a leader sent: a chunk that leaves a gap or runs past the announced size, a transfer
 * completed early, or received bytes that do not verify against the announced descriptor.
 */
public class SnapshotTransferException extends SnapshotException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was refused and why
     */
    public SnapshotTransferException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what was refused and why
     * @param cause the check that failed
     */
    public SnapshotTransferException(String message, Throwable cause) {
        super(message, cause);
    }
}
