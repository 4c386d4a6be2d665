package dev.spool.replication.wire;

import dev.spool.api.spi.raft.AppendEntries;
import dev.spool.api.spi.raft.AppendResponse;
import dev.spool.api.spi.raft.ForwardProposal;
import dev.spool.api.spi.raft.ForwardResult;
import dev.spool.api.spi.raft.Heartbeat;
import dev.spool.api.spi.raft.HeartbeatResponse;
import dev.spool.api.spi.raft.InstallSnapshot;
import dev.spool.api.spi.raft.RaftMessage;
import dev.spool.api.spi.raft.ReadIndexRequest;
import dev.spool.api.spi.raft.ReadIndexResponse;
import dev.spool.api.spi.raft.SnapshotResponse;
import dev.spool.api.spi.raft.TimeoutNow;
import dev.spool.api.spi.raft.VoteRequest;
import dev.spool.api.spi.raft.VoteResponse;

/**
 * The frame types of wire protocol version 1 and their type bytes. Connection frames (handshake, goodbye,
 * keep-alive) concern the whole connection; group frames name the Raft group they belong to.
 */
public enum FrameType {
    /** Opens a connection: the initiator names the cluster, both members and the versions it speaks. */
    HANDSHAKE(0x01, "Handshake", false),
    /** The acceptor's consent, with the negotiated versions. */
    HANDSHAKE_ACCEPTED(0x02, "HandshakeAccepted", false),
    /** The last frame before a close, with the reason. */
    GOODBYE(0x03, "Goodbye", false),
    /** Grants the peer more entries and bytes of bulk frames for one group (flow control). */
    CREDIT(0x04, "Credit", true),
    /** Says the connection is alive when nothing else was sent for a while; no body. */
    KEEP_ALIVE(0x05, "KeepAlive", false),
    /** {@link VoteRequest}. */
    VOTE_REQUEST(0x10, "VoteRequest", true),
    /** {@link VoteResponse}. */
    VOTE_RESPONSE(0x11, "VoteResponse", true),
    /** {@link AppendEntries} followed by the raw journal records of its range. */
    APPEND_ENTRIES(0x12, "AppendEntries", true),
    /** {@link AppendResponse}. */
    APPEND_RESPONSE(0x13, "AppendResponse", true),
    /** {@link Heartbeat}. */
    HEARTBEAT(0x14, "Heartbeat", true),
    /** {@link HeartbeatResponse}. */
    HEARTBEAT_RESPONSE(0x15, "HeartbeatResponse", true),
    /** {@link InstallSnapshot} followed by the chunk's bytes. */
    INSTALL_SNAPSHOT(0x16, "InstallSnapshot", true),
    /** {@link SnapshotResponse}. */
    SNAPSHOT_RESPONSE(0x17, "SnapshotResponse", true),
    /** {@link TimeoutNow}. */
    TIMEOUT_NOW(0x18, "TimeoutNow", true),
    /** {@link ForwardProposal} followed by the proposal's encoded payload. */
    FORWARD_PROPOSAL(0x20, "ForwardProposal", true),
    /** {@link ForwardResult}. */
    FORWARD_RESULT(0x21, "ForwardResult", true),
    /** {@link ReadIndexRequest}. */
    READ_INDEX_REQUEST(0x22, "ReadIndexRequest", true),
    /** {@link ReadIndexResponse}. */
    READ_INDEX_RESPONSE(0x23, "ReadIndexResponse", true);

    private static final FrameType[] BY_CODE = new FrameType[256];

    static {
        for (FrameType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;
    private final String displayName;
    private final boolean groupScoped;

    FrameType(int code, String displayName, boolean groupScoped) {
        this.code = code;
        this.displayName = displayName;
        this.groupScoped = groupScoped;
    }

    /**
     * Returns the type byte.
     *
     * @return the code, 0 to 255
     */
    public int code() {
        return code;
    }

    /**
     * Returns the name used in the wire-protocol document and in error messages.
     *
     * @return the name
     */
    public String displayName() {
        return displayName;
    }

    /**
     * Tells whether frames of this type name a group right after the type byte.
     *
     * @return whether the type is group-scoped
     */
    public boolean groupScoped() {
        return groupScoped;
    }

    /**
     * Finds the type of a type byte.
     *
     * @param code the type byte, 0 to 255
     * @return the type, or {@code null} if no type has this code
     */
    public static FrameType ofCode(int code) {
        return BY_CODE[code & 0xFF];
    }

    /**
     * Returns the frame type that carries a message.
     *
     * @param message the message
     * @return its frame type
     */
    public static FrameType of(RaftMessage message) {
        if (message instanceof VoteRequest) {
            return VOTE_REQUEST;
        } else if (message instanceof VoteResponse) {
            return VOTE_RESPONSE;
        } else if (message instanceof AppendEntries) {
            return APPEND_ENTRIES;
        } else if (message instanceof AppendResponse) {
            return APPEND_RESPONSE;
        } else if (message instanceof Heartbeat) {
            return HEARTBEAT;
        } else if (message instanceof HeartbeatResponse) {
            return HEARTBEAT_RESPONSE;
        } else if (message instanceof InstallSnapshot) {
            return INSTALL_SNAPSHOT;
        } else if (message instanceof SnapshotResponse) {
            return SNAPSHOT_RESPONSE;
        } else if (message instanceof TimeoutNow) {
            return TIMEOUT_NOW;
        } else if (message instanceof ForwardProposal) {
            return FORWARD_PROPOSAL;
        } else if (message instanceof ForwardResult) {
            return FORWARD_RESULT;
        } else if (message instanceof ReadIndexRequest) {
            return READ_INDEX_REQUEST;
        } else if (message instanceof ReadIndexResponse) {
            return READ_INDEX_RESPONSE;
        }
        throw new IllegalArgumentException(
                "not a known Raft message type: " + message.getClass().getName());
    }
}
