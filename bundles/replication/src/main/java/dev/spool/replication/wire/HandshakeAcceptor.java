package dev.spool.replication.wire;

import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.Predicate;

/**
 * Decides on a {@link Handshake} received by the member that accepted a connection: a peer of another cluster, a
 * member this member does not know, a handshake meant for another member, and a peer without a common wire version
 * or journal record format are refused with a logged reason; otherwise the highest versions both speak are chosen.
 *
 * <p>Pure logic, thread-safe if the member predicate is.
 */
public final class HandshakeAcceptor {

    private static final System.Logger LOG = System.getLogger(HandshakeAcceptor.class.getName());

    private final String cluster;
    private final String localMember;
    private final Predicate<String> knownMember;
    private final VersionRange wireVersions;
    private final VersionRange recordFormats;

    /**
     * Creates an acceptor.
     *
     * @param cluster the cluster this member belongs to
     * @param localMember this member's id
     * @param knownMember tells whether a member id belongs to a group this member hosts
     * @param wireVersions the wire-protocol versions this member speaks
     * @param recordFormats the journal record formats this member can send and append
     */
    public HandshakeAcceptor(
            String cluster,
            String localMember,
            Predicate<String> knownMember,
            VersionRange wireVersions,
            VersionRange recordFormats) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.localMember = Objects.requireNonNull(localMember, "localMember");
        this.knownMember = Objects.requireNonNull(knownMember, "knownMember");
        this.wireVersions = Objects.requireNonNull(wireVersions, "wireVersions");
        this.recordFormats = Objects.requireNonNull(recordFormats, "recordFormats");
    }

    /**
     * Decides on a handshake.
     *
     * @param hello the initiator's handshake
     * @return {@link HandshakeResult.Accepted} with the reply to send, or {@link HandshakeResult.Refused} with the
     *     goodbye to send before closing
     */
    public HandshakeResult accept(Handshake hello) {
        if (!hello.cluster().equals(cluster)) {
            return refuse(
                    Goodbye.Reason.WRONG_CLUSTER,
                    "member " + hello.initiator() + " belongs to cluster '" + hello.cluster() + "', this is cluster '"
                            + cluster + "'");
        }
        if (!hello.acceptor().equals(localMember)) {
            return refuse(
                    Goodbye.Reason.WRONG_MEMBER,
                    "member " + hello.initiator() + " expected member " + hello.acceptor() + ", this is member "
                            + localMember);
        }
        if (hello.initiator().equals(localMember) || !knownMember.test(hello.initiator())) {
            return refuse(
                    Goodbye.Reason.UNKNOWN_MEMBER,
                    "member " + hello.initiator() + " is not a peer of member " + localMember + " in cluster '"
                            + cluster + "'");
        }
        final OptionalInt wire = wireVersions.highestCommon(hello.wireVersions());
        if (wire.isEmpty()) {
            return refuse(
                    Goodbye.Reason.UNSUPPORTED_WIRE_VERSION,
                    "member " + hello.initiator()
                            + " speaks wire versions " + hello.wireVersions() + ", member " + localMember + " speaks "
                            + wireVersions);
        }
        final OptionalInt records = recordFormats.highestCommon(hello.recordFormats());
        if (records.isEmpty()) {
            return refuse(
                    Goodbye.Reason.UNSUPPORTED_RECORD_FORMAT,
                    "member " + hello.initiator()
                            + " uses journal record formats " + hello.recordFormats() + ", member " + localMember
                            + " uses "
                            + recordFormats);
        }
        LOG.log(
                Level.DEBUG,
                "accepted member {0}: wire version {1}, record format {2}",
                hello.initiator(),
                wire.getAsInt(),
                records.getAsInt());
        return new HandshakeResult.Accepted(hello.initiator(), wire.getAsInt(), records.getAsInt());
    }

    private static HandshakeResult refuse(Goodbye.Reason reason, String detail) {
        LOG.log(Level.WARNING, "refused a connection ({0}): {1}", reason, detail);
        return new HandshakeResult.Refused(Goodbye.because(reason, detail), false);
    }
}
