package dev.spool.replication.wire;

import java.util.Objects;

/**
 * The first frame of a connection, sent by the member that opened it.
 *
 * @param cluster the cluster the initiator belongs to
 * @param initiator the initiator's member id
 * @param acceptor the member id the initiator expects to reach
 * @param wireVersions the wire-protocol versions the initiator speaks
 * @param recordFormats the journal record format versions the initiator can send and append
 */
public record Handshake(
        String cluster, String initiator, String acceptor, VersionRange wireVersions, VersionRange recordFormats)
        implements Frame {

    /** Checks that nothing is missing. */
    public Handshake {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(initiator, "initiator");
        Objects.requireNonNull(acceptor, "acceptor");
        Objects.requireNonNull(wireVersions, "wireVersions");
        Objects.requireNonNull(recordFormats, "recordFormats");
    }

    @Override
    public FrameType type() {
        return FrameType.HANDSHAKE;
    }
}
