package dev.spool.replication.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.replication.LeakDetection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakDetection.class)
class HandshakeTest {

    private static final VersionRange V1 = VersionRange.only(1);
    private final List<String> warnings = new ArrayList<>();
    private final Logger log = Logger.getLogger(HandshakeAcceptor.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(java.text.MessageFormat.format(record.getMessage(), record.getParameters()));
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void captureLog() {
        log.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        log.removeHandler(capture);
    }

    private static HandshakeAcceptor acceptor(VersionRange wire, VersionRange records) {
        return new HandshakeAcceptor("prod", "b", Set.of("a", "b", "c")::contains, wire, records);
    }

    /** Sends the frame through the codec, as the peer would receive it. */
    private static Frame overTheWire(Frame frame) throws WireFormatException {
        final ByteBuf bytes = Unpooled.buffer();
        new FrameEncoder(WireLimits.DEFAULT).encode(frame, bytes);
        return new FrameDecoder(WireLimits.DEFAULT).decode(bytes, "x", "y");
    }

    private HandshakeResult.Refused refusedBy(HandshakeAcceptor acceptor, Handshake hello, Goodbye.Reason reason)
            throws WireFormatException {
        final var refused =
                assertInstanceOf(HandshakeResult.Refused.class, acceptor.accept((Handshake) overTheWire(hello)));
        assertEquals(reason, refused.goodbye().reason());
        assertFalse(refused.byPeer());
        assertEquals(1, warnings.size(), "one logged reason");
        assertTrue(warnings.get(0).contains(reason.toString()), warnings.get(0));
        return refused;
    }

    @Test
    @DisplayName("a known member of the same cluster with the same versions is accepted, both sides agree")
    void accepted() throws WireFormatException {
        final var initiator = new HandshakeInitiator("prod", "a", "b", V1, V1);
        final var accepted = assertInstanceOf(
                HandshakeResult.Accepted.class, acceptor(V1, V1).accept((Handshake) overTheWire(initiator.hello())));
        assertEquals(new HandshakeResult.Accepted("a", 1, 1), accepted);
        assertEquals(new HandshakeResult.Accepted("b", 1, 1), initiator.complete(overTheWire(accepted.reply())));
        assertTrue(warnings.isEmpty());
    }

    @Test
    @DisplayName("adjacent versions interoperate: the highest version both speak is chosen")
    void negotiatesHighestCommonVersion() {
        final var newer = acceptor(new VersionRange(2, 3), new VersionRange(1, 2));
        final var fromOlder = newer.accept(new Handshake("prod", "a", "b", new VersionRange(1, 2), V1));
        assertEquals(new HandshakeResult.Accepted("a", 2, 1), fromOlder);
        final var fromNewest =
                newer.accept(new Handshake("prod", "a", "b", new VersionRange(3, 4), new VersionRange(2, 5)));
        assertEquals(new HandshakeResult.Accepted("a", 3, 2), fromNewest);
    }

    @Test
    @DisplayName("a peer of another cluster is refused, with the reason sent and logged")
    void wrongCluster() throws WireFormatException {
        final var refused =
                refusedBy(acceptor(V1, V1), new Handshake("test", "a", "b", V1, V1), Goodbye.Reason.WRONG_CLUSTER);
        assertTrue(refused.goodbye().detail().contains("'test'"));
        assertEquals(refused.goodbye(), overTheWire(refused.goodbye()), "the goodbye survives the wire");
    }

    @Test
    @DisplayName("an initiator that is not a known member (or claims to be this member) is refused")
    void unknownMember() throws WireFormatException {
        refusedBy(acceptor(V1, V1), new Handshake("prod", "z", "b", V1, V1), Goodbye.Reason.UNKNOWN_MEMBER);
        warnings.clear();
        refusedBy(acceptor(V1, V1), new Handshake("prod", "b", "b", V1, V1), Goodbye.Reason.UNKNOWN_MEMBER);
    }

    @Test
    @DisplayName("a handshake meant for another member is refused")
    void wrongMember() throws WireFormatException {
        refusedBy(acceptor(V1, V1), new Handshake("prod", "a", "c", V1, V1), Goodbye.Reason.WRONG_MEMBER);
    }

    @Test
    @DisplayName("no common wire version: refused, naming both ranges")
    void unsupportedWireVersion() throws WireFormatException {
        final var refused = refusedBy(
                acceptor(new VersionRange(3, 4), V1),
                new Handshake("prod", "a", "b", new VersionRange(1, 2), V1),
                Goodbye.Reason.UNSUPPORTED_WIRE_VERSION);
        assertTrue(refused.goodbye().detail().contains("1..2")
                && refused.goodbye().detail().contains("3..4"));
    }

    @Test
    @DisplayName("no common journal record format: refused")
    void unsupportedRecordFormat() throws WireFormatException {
        refusedBy(
                acceptor(V1, VersionRange.only(2)),
                new Handshake("prod", "a", "b", V1, V1),
                Goodbye.Reason.UNSUPPORTED_RECORD_FORMAT);
    }

    @Test
    @DisplayName("the initiator reports the acceptor's refusal as the peer's, and refuses versions it never offered")
    void initiatorChecksTheAnswer() {
        final var initiator = new HandshakeInitiator("prod", "a", "b", new VersionRange(1, 2), V1);
        final var goodbye = new Goodbye(Goodbye.Reason.WRONG_CLUSTER, "no");
        assertEquals(new HandshakeResult.Refused(goodbye, true), initiator.complete(goodbye));
        final var outside =
                assertInstanceOf(HandshakeResult.Refused.class, initiator.complete(new HandshakeAccepted(3, 1)));
        assertEquals(Goodbye.Reason.PROTOCOL_VIOLATION, outside.goodbye().reason());
        assertFalse(outside.byPeer());
        final var notAnAnswer =
                assertInstanceOf(HandshakeResult.Refused.class, initiator.complete(new Credit("g", 1, 1)));
        assertEquals(Goodbye.Reason.PROTOCOL_VIOLATION, notAnAnswer.goodbye().reason());
    }
}
