package dev.spool.api.spi.journal;

import java.io.IOException;

/** The base of the journal's typed failures; each subtype names what was wrong and where. */
public class JournalException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong and where
     */
    public JournalException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what was wrong and where
     * @param cause the underlying failure
     */
    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
