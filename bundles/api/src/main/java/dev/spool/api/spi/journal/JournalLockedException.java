package dev.spool.api.spi.journal;

import java.nio.file.Path;

/** A journal or term store is open already, in this JVM or another: at most one instance may have it open. */
public class JournalLockedException extends JournalException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param lockFile the lock file another opener holds
     */
    public JournalLockedException(Path lockFile) {
        super("journal is open elsewhere: " + lockFile + " is locked");
    }
}
