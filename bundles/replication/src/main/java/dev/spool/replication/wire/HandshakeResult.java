package dev.spool.replication.wire;

/** How a handshake ended, for either side of it. */
public sealed interface HandshakeResult {

    /**
     * Both members agreed: the connection carries group frames from now on.
     *
     * @param peer the other member's id
     * @param wireVersion the negotiated wire-protocol version
     * @param recordFormat the negotiated journal record format
     */
    record Accepted(String peer, int wireVersion, int recordFormat) implements HandshakeResult {

        /**
         * Returns the acceptor's answer announcing this agreement.
         *
         * @return the frame to send
         */
        public HandshakeAccepted reply() {
            return new HandshakeAccepted(wireVersion, recordFormat);
        }
    }

    /**
     * The connection is refused and must be closed.
     *
     * @param goodbye the reason: to send to the peer before closing, unless {@code byPeer}
     * @param byPeer whether the peer refused (it sent the goodbye) rather than this member
     */
    record Refused(Goodbye goodbye, boolean byPeer) implements HandshakeResult {}
}
