package dev.spool.api.spi.raft;

/** How a leader answers a forwarded request ({@link ForwardResult}, {@link ReadIndexResponse}). */
public enum ForwardOutcome {
    /** The proposal committed and applied on the leader, or the read index was confirmed by a quorum. */
    SUCCEEDED(0),
    /** The receiver does not lead the group (any more): nothing was appended. */
    NOT_LEADER(1),
    /** The leader's intake was full, or it refused proposals during a leadership transfer: nothing was appended. */
    BUSY(2),
    /** The proposal was appended, but the leader lost leadership before it committed. */
    OUTCOME_UNKNOWN(3),
    /** The leader's storage is not available: nothing was appended. */
    UNAVAILABLE(4),
    /** The leader could not decode the payload (the members run incompatible codecs): nothing was appended. */
    REJECTED(5);

    private static final ForwardOutcome[] BY_CODE = values();

    private final int code;

    ForwardOutcome(int code) {
        this.code = code;
    }

    /**
     * Returns the outcome's code on the wire.
     *
     * @return the code, 0 to 255
     */
    public int code() {
        return code;
    }

    /**
     * Finds the outcome of a code.
     *
     * @param code a code
     * @return the outcome, or {@code null} if no outcome has this code
     */
    public static ForwardOutcome ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
