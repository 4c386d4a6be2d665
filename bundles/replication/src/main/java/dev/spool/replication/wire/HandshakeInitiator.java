package dev.spool.replication.wire;

import java.lang.System.Logger.Level;
import java.util.Objects;

/**
 * The side of a handshake run by the member that opened a connection: it sends {@link #hello()} and checks the
 * answer. A refusal from the acceptor is logged with the acceptor's reason; an acceptance that chose versions this
 * member never offered is a protocol violation.
 *
 * <p>Pure logic; immutable and thread-safe.
 */
public final class HandshakeInitiator {

    private static final System.Logger LOG = System.getLogger(HandshakeInitiator.class.getName());

    private final Handshake hello;

    /**
     * Creates the initiator's side.
     *
     * @param cluster the cluster this member belongs to
     * @param localMember this member's id
     * @param remoteMember the member expected at the other end
     * @param wireVersions the wire-protocol versions this member speaks
     * @param recordFormats the journal record formats this member can send and append
     */
    public HandshakeInitiator(
            String cluster,
            String localMember,
            String remoteMember,
            VersionRange wireVersions,
            VersionRange recordFormats) {
        this.hello = new Handshake(cluster, localMember, remoteMember, wireVersions, recordFormats);
    }

    /**
     * Returns the handshake to send first.
     *
     * @return the handshake
     */
    public Handshake hello() {
        return hello;
    }

    /**
     * Checks the acceptor's answer.
     *
     * @param answer the first frame received
     * @return {@link HandshakeResult.Accepted}, or {@link HandshakeResult.Refused}: by the peer (its goodbye) or by
     *     this member (the goodbye to send before closing)
     */
    public HandshakeResult complete(Frame answer) {
        Objects.requireNonNull(answer, "answer");
        if (answer instanceof Goodbye) {
            final Goodbye goodbye = (Goodbye) answer;
            LOG.log(
                    Level.WARNING,
                    "member {0} refused the connection ({1}): {2}",
                    hello.acceptor(),
                    goodbye.reason(),
                    goodbye.detail());
            return new HandshakeResult.Refused(goodbye, true);
        }
        if (!(answer instanceof HandshakeAccepted)) {
            return refuse("member " + hello.acceptor() + " answered the handshake with a "
                    + answer.type().displayName() + " frame");
        }
        final HandshakeAccepted accepted = (HandshakeAccepted) answer;
        if (!hello.wireVersions().contains(accepted.wireVersion())
                || !hello.recordFormats().contains(accepted.recordFormat())) {
            return refuse("member " + hello.acceptor() + " chose wire version " + accepted.wireVersion()
                    + " and record format " + accepted.recordFormat() + ", outside the offered "
                    + hello.wireVersions() + " and " + hello.recordFormats());
        }
        return new HandshakeResult.Accepted(hello.acceptor(), accepted.wireVersion(), accepted.recordFormat());
    }

    private static HandshakeResult refuse(String detail) {
        LOG.log(Level.WARNING, "closing a connection ({0}): {1}", Goodbye.Reason.PROTOCOL_VIOLATION, detail);
        return new HandshakeResult.Refused(Goodbye.because(Goodbye.Reason.PROTOCOL_VIOLATION, detail), false);
    }
}
