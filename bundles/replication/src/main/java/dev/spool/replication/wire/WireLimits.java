package dev.spool.replication.wire;

/**
 * The bounds a decoder enforces on hostile input. The fixed ones belong to the protocol; the largest frame is
 * configurable per member, since it bounds the bytes one AppendEntries or InstallSnapshot frame may carry.
 *
 * @param maxFrameBytes the largest frame accepted or sent, its 4-byte length prefix included
 */
public record WireLimits(int maxFrameBytes) {

    /** The smallest configurable frame limit: room for a handshake and a goodbye with their longest strings. */
    public static final int MIN_FRAME_BYTES = 64 * 1024;

    /** The largest configurable frame limit. */
    public static final int MAX_FRAME_BYTES = 1 << 30;

    /** The default frame limit. */
    public static final int DEFAULT_FRAME_BYTES = 16 * 1024 * 1024;

    /** The longest group id, in characters. */
    public static final int MAX_GROUP_ID_LENGTH = 255;

    /** The longest cluster name, in characters. */
    public static final int MAX_CLUSTER_NAME_LENGTH = 255;

    /** The longest reason text of a goodbye, in characters. */
    public static final int MAX_DETAIL_LENGTH = 1024;

    /** The limits with the default frame size. */
    public static final WireLimits DEFAULT = new WireLimits(DEFAULT_FRAME_BYTES);

    /**
     * Checks the frame limit.
     *
     * @throws IllegalArgumentException if it lies outside {@link #MIN_FRAME_BYTES}..{@link #MAX_FRAME_BYTES}
     */
    public WireLimits {
        if (maxFrameBytes < MIN_FRAME_BYTES || maxFrameBytes > MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("maximum frame size must lie in " + MIN_FRAME_BYTES + ".."
                    + MAX_FRAME_BYTES + " bytes: " + maxFrameBytes);
        }
    }
}
