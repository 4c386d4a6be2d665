package dev.spool.replication.wire;

/**
 * A frame that does not follow the wire format: truncated, oversized, of an unknown type, with a value out of its
 * bounds or one that breaks a message's invariants. The message names the frame type, the field and the field's
 * offset from the start of the frame (its length prefix), so a log line says exactly what a peer sent wrong.
 */
public final class WireFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The name given for the frame type while the type byte has not been read or is unknown. */
    static final String UNKNOWN_TYPE = "unknown";

    private final String frameType;
    private final String field;
    private final int offset;

    WireFormatException(String frameType, String field, int offset, String problem) {
        this(frameType, field, offset, problem, null);
    }

    WireFormatException(String frameType, String field, int offset, String problem, Throwable cause) {
        super("malformed " + frameType + " frame: " + field + " at offset " + offset + ": " + problem, cause);
        this.frameType = frameType;
        this.field = field;
        this.offset = offset;
    }

    /**
     * Returns the type of the malformed frame.
     *
     * @return the frame type's name, or {@code "unknown"} if the type itself could not be read
     */
    public String frameType() {
        return frameType;
    }

    /**
     * Returns the field that is wrong.
     *
     * @return the field's name as the wire-protocol document spells it
     */
    public String field() {
        return field;
    }

    /**
     * Returns where the field starts.
     *
     * @return the offset from the first byte of the frame's length prefix
     */
    public int offset() {
        return offset;
    }
}
