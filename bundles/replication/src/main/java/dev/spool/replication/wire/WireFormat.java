package dev.spool.replication.wire;

/**
 * The constants of the wire format shared by {@link FrameEncoder} and {@link FrameDecoder}; the byte tables are in
 * {@code docs/wire-protocol.md}.
 */
public final class WireFormat {

    /** The wire-protocol version this implementation speaks. */
    public static final int WIRE_VERSION = 1;

    /** The journal record format version this implementation sends and appends (see docs/journal-format.md). */
    public static final int RECORD_FORMAT = 1;

    /** The bytes of a frame before its type: the length prefix. */
    static final int LENGTH_PREFIX_BYTES = 4;

    /** The magic that starts a handshake's body: "SPWR". */
    static final int HANDSHAKE_MAGIC = 0x53505752;

    static final int VOTE_PRE_VOTE = 0x1;
    static final int VOTE_LEADERSHIP_TRANSFER = 0x2;
    static final int VOTE_GRANTED = 0x2;
    static final int APPEND_SUCCESS = 0x1;
    static final int APPEND_SUSPECT = 0x2;
    static final int SNAPSHOT_DONE = 0x1;
    static final int SNAPSHOT_COMPLETE = 0x1;
    static final int MEMBER_VOTING = 0x1;

    private WireFormat() {}
}
