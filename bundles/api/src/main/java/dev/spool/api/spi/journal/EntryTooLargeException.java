package dev.spool.api.spi.journal;

/** An entry's payload exceeds the journal's maximum entry size; the journal was left unchanged. */
public class EntryTooLargeException extends JournalException {
    private static final long serialVersionUID = 1L;

    private final long size;
    private final int maxEntrySize;

    /**
     * Creates the exception.
     *
     * @param size the payload size reached (at least this many bytes were offered)
     * @param maxEntrySize the journal's maximum entry size
     */
    public EntryTooLargeException(long size, int maxEntrySize) {
        super("entry of at least " + size + " bytes exceeds the maximum entry size of " + maxEntrySize + " bytes");
        this.size = size;
        this.maxEntrySize = maxEntrySize;
    }

    /**
     * Returns the payload size reached when the entry was refused.
     *
     * @return at least the payload's size
     */
    public long size() {
        return size;
    }

    /**
     * Returns the journal's maximum entry size.
     *
     * @return the limit in bytes
     */
    public int maxEntrySize() {
        return maxEntrySize;
    }
}
