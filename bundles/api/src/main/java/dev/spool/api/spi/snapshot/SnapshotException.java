package dev.spool.api.spi.snapshot;

import java.io.IOException;

/** The base of the snapshot store's typed failures; each subtype names what was wrong and where. */
public class SnapshotException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong and where
     */
    public SnapshotException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what was wrong and where
     * @param cause the underlying failure
     */
    public SnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
