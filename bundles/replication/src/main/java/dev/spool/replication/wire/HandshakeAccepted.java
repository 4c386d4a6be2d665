package dev.spool.replication.wire;

/**
 * The acceptor's answer to a {@link Handshake} it accepts: the versions both members use from now on.
 *
 * @param wireVersion the negotiated wire-protocol version
 * @param recordFormat the negotiated journal record format version
 */
public record HandshakeAccepted(int wireVersion, int recordFormat) implements Frame {

    /**
     * Checks the versions.
     *
     * @throws IllegalArgumentException if a version is outside 1..65535
     */
    public HandshakeAccepted {
        VersionRange.only(wireVersion);
        VersionRange.only(recordFormat);
    }

    @Override
    public FrameType type() {
        return FrameType.HANDSHAKE_ACCEPTED;
    }
}
