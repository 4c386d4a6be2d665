package dev.spool.api.spi.journal;

/**
 * Raw records handed to {@link EntryWriter#appendRaw} (bytes another member sent, not this journal's data) failed a
 * check: a length, an index out of sequence, a term going back, unknown flags, a checksum. Nothing of the batch was
 * appended and the journal is unchanged; the records are refused, not reported as corruption of the journal.
 */
public class RejectedRecordsException extends JournalException {
    private static final long serialVersionUID = 1L;

    private final long index;
    private final long offset;

    /**
     * Creates the exception.
     *
     * @param journal the journal's name
     * @param index the index the refused record should have carried
     * @param offset the refused record's byte offset within the batch
     * @param reason what check failed
     */
    public RejectedRecordsException(String journal, long index, long offset, String reason) {
        super("journal " + journal + " refused raw record " + index + " at offset " + offset + " of its batch,"
                + " nothing appended: " + reason);
        this.index = index;
        this.offset = offset;
    }

    /** @return the index the refused record should have carried */
    public long index() {
        return index;
    }

    /** @return the refused record's byte offset within the batch */
    public long offset() {
        return offset;
    }
}
