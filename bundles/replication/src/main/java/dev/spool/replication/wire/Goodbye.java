package dev.spool.replication.wire;

import java.util.Objects;

/**
 * The last frame a member sends before it closes a connection: why it does.
 *
 * @param reason the reason
 * @param detail what exactly was wrong, for the peer's log; at most {@link WireLimits#MAX_DETAIL_LENGTH} characters
 */
public record Goodbye(Reason reason, String detail) implements Frame {

    /** Why a connection ends; the code is the reason's byte on the wire. */
    public enum Reason {
        /** The member shuts the link down in order. */
        SHUTDOWN(0),
        /** The handshake named another cluster. */
        WRONG_CLUSTER(1),
        /** The initiator is not a member this member knows. */
        UNKNOWN_MEMBER(2),
        /** The handshake expected another member at this address. */
        WRONG_MEMBER(3),
        /** No wire-protocol version is spoken by both members. */
        UNSUPPORTED_WIRE_VERSION(4),
        /** No journal record format is spoken by both members. */
        UNSUPPORTED_RECORD_FORMAT(5),
        /** A frame did not follow the wire format. */
        MALFORMED_FRAME(6),
        /** A well-formed frame arrived where the protocol does not allow it. */
        PROTOCOL_VIOLATION(7),
        /** Over TLS: the peer's certificate does not name the member it claims to be, or was expected to be. */
        IDENTITY(8);

        private static final Reason[] BY_CODE = values();

        private final int code;

        Reason(int code) {
            this.code = code;
        }

        /**
         * Returns the reason's byte on the wire.
         *
         * @return the code
         */
        public int code() {
            return code;
        }

        /**
         * Finds the reason of a code.
         *
         * @param code the byte read
         * @return the reason, or {@code null} if the code is unknown
         */
        static Reason ofCode(int code) {
            return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        }
    }

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if the detail is too long
     */
    public Goodbye {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        if (detail.length() > WireLimits.MAX_DETAIL_LENGTH) {
            throw new IllegalArgumentException(
                    "goodbye detail longer than " + WireLimits.MAX_DETAIL_LENGTH + " characters");
        }
    }

    /**
     * Returns a goodbye whose detail is cut to the longest allowed, at a character boundary that splits no pair.
     *
     * @param reason the reason
     * @param detail the detail, of any length
     * @return the goodbye
     */
    public static Goodbye because(Reason reason, String detail) {
        if (detail.length() <= WireLimits.MAX_DETAIL_LENGTH) {
            return new Goodbye(reason, detail);
        }
        int end = WireLimits.MAX_DETAIL_LENGTH;
        if (Character.isHighSurrogate(detail.charAt(end - 1))) {
            end--;
        }
        return new Goodbye(reason, detail.substring(0, end));
    }

    @Override
    public FrameType type() {
        return FrameType.GOODBYE;
    }
}
