package dev.spool.replication.link;

/**
 * A well-formed frame the protocol does not allow at this point, such as a bulk frame beyond the credit the peer was
 * granted. The connection's frame stage closes the connection with a {@code PROTOCOL_VIOLATION} Goodbye and logs
 * the message, which names what exactly was wrong; nothing of the frame is delivered.
 */
public final class ProtocolViolationException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param detail what the peer did wrong, naming the group and the values involved
     */
    public ProtocolViolationException(String detail) {
        super(detail);
    }
}
