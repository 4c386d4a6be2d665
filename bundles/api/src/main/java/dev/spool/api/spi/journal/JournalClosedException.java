package dev.spool.api.spi.journal;

/** An operation was attempted on a journal, reader or term store that was closed. */
public class JournalClosedException extends JournalException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param name the name of the closed journal or store
     */
    public JournalClosedException(String name) {
        super("journal " + name + " is closed");
    }
}
