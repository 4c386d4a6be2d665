package dev.spool.replication.wire;

/**
 * Tells the peer the connection is alive when nothing else was sent for a while, so a quiet but healthy connection
 * is not taken for a dead one. It has no body and concerns the whole connection.
 */
public record KeepAlive() implements Frame {

    /** The keep-alive: all are equal. */
    public static final KeepAlive INSTANCE = new KeepAlive();

    @Override
    public FrameType type() {
        return FrameType.KEEP_ALIVE;
    }
}
