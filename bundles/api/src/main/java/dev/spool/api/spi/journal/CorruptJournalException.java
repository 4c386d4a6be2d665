package dev.spool.api.spi.journal;

import java.nio.file.Path;

/**
 * Stored journal data failed a check (a checksum, a magic number, an index or term out of sequence). The data is
 * never served and never skipped; nothing was deleted or changed because of it.
 */
public class CorruptJournalException extends JournalException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    /**
     * Creates the exception.
     *
     * @param file the file holding the bad data
     * @param offset the byte offset within the file where the bad data starts
     * @param reason what check failed
     */
    public CorruptJournalException(Path file, long offset, String reason) {
        super("corrupt journal data in " + file + " at offset " + offset + ": " + reason);
        this.file = file;
        this.offset = offset;
    }

    /**
     * Returns the file holding the bad data.
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
