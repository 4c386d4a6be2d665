package dev.spool.replication.wire;

/**
 * One decoded frame of the wire protocol. Values are immutable, except that a {@link GroupMessage}'s attached bytes
 * are a view of the received frame and valid only while the frame is being handled.
 */
public sealed interface Frame permits Handshake, HandshakeAccepted, Goodbye, KeepAlive, Credit, GroupMessage {

    /**
     * Returns the frame's type.
     *
     * @return the type
     */
    FrameType type();
}
