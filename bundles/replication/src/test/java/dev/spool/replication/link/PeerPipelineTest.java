package dev.spool.replication.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.spi.raft.AppendEntries;
import dev.spool.api.spi.raft.VoteRequest;
import dev.spool.replication.LeakDetection;
import dev.spool.replication.wire.Credit;
import dev.spool.replication.wire.Frame;
import dev.spool.replication.wire.FrameDecoder;
import dev.spool.replication.wire.FrameEncoder;
import dev.spool.replication.wire.Goodbye;
import dev.spool.replication.wire.GroupMessage;
import dev.spool.replication.wire.Handshake;
import dev.spool.replication.wire.HandshakeAccepted;
import dev.spool.replication.wire.HandshakeAcceptor;
import dev.spool.replication.wire.HandshakeInitiator;
import dev.spool.replication.wire.KeepAlive;
import dev.spool.replication.wire.VersionRange;
import dev.spool.replication.wire.WireFormatException;
import dev.spool.replication.wire.WireLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The pipeline of one peer connection, driven through an {@link EmbeddedChannel}. */
@Timeout(10)
@ExtendWith(LeakDetection.class)
class PeerPipelineTest {

    private static final String CLUSTER = "cluster-a";
    private static final String LOCAL = "m2";
    private static final String PEER = "m1";
    private static final String GROUP = "default";
    private static final WireLimits LIMITS = WireLimits.DEFAULT;
    private static final VersionRange V1 = VersionRange.only(1);
    /** Idle timing that never fires by itself: the tests fire the idle events. */
    private static final Duration KEEP_ALIVE = Duration.ofDays(1);

    private static final Duration IDLE_TIMEOUT = Duration.ofDays(2);
    private static final Duration HANDSHAKE_DEADLINE = Duration.ofSeconds(5);

    private final FrameEncoder encoder = new FrameEncoder(LIMITS);
    private final List<String> established = new ArrayList<>();
    private final List<GroupMessage> received = new ArrayList<>();
    private final List<Credit> credited = new ArrayList<>();
    /** When set, the member refuses every group message as a protocol violation with this detail. */
    private String refusal;

    private final List<LogRecord> warnings = new ArrayList<>();
    private final Logger stageLog = Logger.getLogger(PeerStage.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            warnings.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private final LinkEvents events = new LinkEvents() {
        @Override
        public void established(String peer, Channel channel) {
            established.add(peer);
        }

        @Override
        public void received(String peer, Channel channel, GroupMessage message, int frameBytes)
                throws ProtocolViolationException {
            if (refusal != null) {
                throw new ProtocolViolationException(refusal);
            }
            // The attachment is valid only during the call: keep a copy.
            received.add(
                    new GroupMessage(message.group(), message.message(), Unpooled.copiedBuffer(message.attachment())));
        }

        @Override
        public void credited(String peer, Channel channel, Credit credit) {
            credited.add(credit);
        }
    };

    @BeforeEach
    void captureLog() {
        stageLog.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        stageLog.removeHandler(capture);
    }

    @Test
    @DisplayName("acceptor: a valid handshake is answered, then group frames are delivered as sent by the peer")
    void validExchangeDelivers() throws Exception {
        final EmbeddedChannel channel = acceptor();
        channel.writeInbound(frame(new Handshake(CLUSTER, PEER, LOCAL, V1, V1)));
        assertEquals(new HandshakeAccepted(1, 1), decodeOutbound(channel));
        assertEquals(List.of(PEER), established);

        final VoteRequest vote = new VoteRequest(PEER, LOCAL, 7, 12, 6, false, false);
        final byte[] records = new byte[2 * 40];
        records[0] = 42;
        final AppendEntries append = new AppendEntries(PEER, LOCAL, 7, 10, 6, 12, 7, 9, List.of());
        // Two frames in one read: the splitter must cut them apart.
        final ByteBuf both = Unpooled.buffer();
        both.writeBytes(frame(new GroupMessage(GROUP, vote, Unpooled.EMPTY_BUFFER)));
        both.writeBytes(frame(new GroupMessage(GROUP, append, Unpooled.wrappedBuffer(records))));
        channel.writeInbound(both);

        assertEquals(2, received.size());
        assertEquals(vote, received.get(0).message());
        assertEquals(append, received.get(1).message());
        assertEquals(Unpooled.wrappedBuffer(records), received.get(1).attachment());
        assertTrue(channel.isOpen());
        assertTrue(warnings.isEmpty());
    }

    @Test
    @DisplayName("initiator: sends its handshake when the connection opens, and an acceptance establishes the link")
    void initiatorHandshake() throws Exception {
        final EmbeddedChannel channel = initiator();
        assertEquals(new Handshake(CLUSTER, LOCAL, PEER, V1, V1), decodeOutbound(channel));
        assertTrue(established.isEmpty());

        channel.writeInbound(frame(new HandshakeAccepted(1, 1)));
        assertEquals(List.of(PEER), established);
        assertTrue(channel.isOpen());
    }

    @Test
    @DisplayName("initiator: a refusal by the acceptor closes the connection and sends nothing more")
    void initiatorRefused() throws Exception {
        final EmbeddedChannel channel = initiator();
        decodeOutbound(channel);
        channel.writeInbound(frame(new Goodbye(Goodbye.Reason.WRONG_CLUSTER, "not this cluster")));
        assertFalse(channel.isOpen());
        assertNull(channel.readOutbound());
        assertTrue(established.isEmpty());
    }

    @Test
    @DisplayName("acceptor: a handshake from another cluster is refused with a WRONG_CLUSTER goodbye and closed")
    void refusalClosesWithReason() throws Exception {
        final EmbeddedChannel channel = acceptor();
        channel.writeInbound(frame(new Handshake("cluster-b", PEER, LOCAL, V1, V1)));
        final Goodbye goodbye = assertInstanceOf(Goodbye.class, decodeOutbound(channel));
        assertEquals(Goodbye.Reason.WRONG_CLUSTER, goodbye.reason());
        assertTrue(goodbye.detail().contains("cluster-b"), goodbye.detail());
        assertFalse(channel.isOpen());
        assertTrue(established.isEmpty());
    }

    @Test
    @DisplayName("acceptor: a Goodbye instead of a Handshake (the initiator gave up) closes without an answer, logged")
    void goodbyeBeforeHandshake() throws Exception {
        final EmbeddedChannel channel = acceptor();
        channel.writeInbound(frame(new Goodbye(Goodbye.Reason.IDENTITY, "its certificate names m3, not m2")));
        assertFalse(channel.isOpen());
        assertNull(channel.readOutbound());
        assertTrue(established.isEmpty());
        assertLogged("closed the connection (IDENTITY): its certificate names m3, not m2");
    }

    @Test
    @DisplayName("acceptor: a group frame before the handshake is a protocol violation and is not delivered")
    void groupFrameBeforeHandshake() throws Exception {
        final EmbeddedChannel channel = acceptor();
        channel.writeInbound(frame(
                new GroupMessage(GROUP, new VoteRequest(PEER, LOCAL, 1, 0, 0, false, false), Unpooled.EMPTY_BUFFER)));
        assertEquals(
                Goodbye.Reason.PROTOCOL_VIOLATION,
                assertInstanceOf(Goodbye.class, decodeOutbound(channel)).reason());
        assertFalse(channel.isOpen());
        assertTrue(received.isEmpty());
        assertLogged("PROTOCOL_VIOLATION");
    }

    @Test
    @DisplayName("a malformed frame closes the connection with MALFORMED_FRAME, delivers nothing and logs why")
    void malformedFrameCloses() throws Exception {
        final EmbeddedChannel channel = established();
        final ByteBuf malformed = Unpooled.buffer();
        // A VoteResponse with an undefined flag bit, followed by a valid frame that must not be delivered either.
        final byte[] vote = ByteBufUtil.getBytes(frame(new GroupMessage(
                GROUP, new dev.spool.api.spi.raft.VoteResponse(PEER, LOCAL, 3, false, false), Unpooled.EMPTY_BUFFER)));
        vote[vote.length - 1] = (byte) 0x80;
        malformed.writeBytes(vote);
        malformed.writeBytes(frame(
                new GroupMessage(GROUP, new VoteRequest(PEER, LOCAL, 1, 0, 0, false, false), Unpooled.EMPTY_BUFFER)));
        channel.writeInbound(malformed);

        assertEquals(
                Goodbye.Reason.MALFORMED_FRAME,
                assertInstanceOf(Goodbye.class, decodeOutbound(channel)).reason());
        assertFalse(channel.isOpen());
        assertTrue(received.isEmpty());
        assertLogged("malformed VoteResponse frame");
    }

    @Test
    @DisplayName("a length prefix beyond the frame limit closes the connection before the frame's bytes arrive")
    void oversizedLengthCloses() throws Exception {
        final EmbeddedChannel channel = established();
        final ByteBuf prefix =
                Unpooled.buffer().writeInt(LIMITS.maxFrameBytes()).writeByte(0x10);
        channel.writeInbound(prefix);
        assertEquals(
                Goodbye.Reason.MALFORMED_FRAME,
                assertInstanceOf(Goodbye.class, decodeOutbound(channel)).reason());
        assertFalse(channel.isOpen());
        assertTrue(received.isEmpty());
        assertLogged(String.valueOf(LIMITS.maxFrameBytes()));
    }

    @Test
    @DisplayName("a handshake frame after the handshake is a protocol violation")
    void secondHandshakeCloses() throws Exception {
        final EmbeddedChannel channel = established();
        channel.writeInbound(frame(new Handshake(CLUSTER, PEER, LOCAL, V1, V1)));
        assertEquals(
                Goodbye.Reason.PROTOCOL_VIOLATION,
                assertInstanceOf(Goodbye.class, decodeOutbound(channel)).reason());
        assertFalse(channel.isOpen());
    }

    @Test
    @DisplayName("a goodbye from the peer closes the connection without an answer")
    void goodbyeCloses() throws Exception {
        final EmbeddedChannel channel = established();
        channel.writeInbound(frame(new Goodbye(Goodbye.Reason.SHUTDOWN, "stopping")));
        assertFalse(channel.isOpen());
        assertNull(channel.readOutbound());
    }

    @Test
    @DisplayName("credit frames go to the member; keep-alives are taken without being delivered")
    void creditAndKeepAlive() throws Exception {
        final EmbeddedChannel channel = established();
        final ByteBuf both = Unpooled.buffer();
        both.writeBytes(frame(KeepAlive.INSTANCE));
        both.writeBytes(frame(new Credit(GROUP, 16, 65536)));
        channel.writeInbound(both);
        assertEquals(List.of(new Credit(GROUP, 16, 65536)), credited);
        assertTrue(received.isEmpty());
        assertTrue(channel.isOpen());
        assertNull(channel.readOutbound());
    }

    @Test
    @DisplayName("a frame the member refuses (beyond the peer's credit) closes with PROTOCOL_VIOLATION and the reason")
    void refusedFrameCloses() throws Exception {
        final EmbeddedChannel channel = established();
        refusal = "group default: a frame of 5 entries and 300 bytes overruns the credit of 4 entries";
        channel.writeInbound(frame(new GroupMessage(
                GROUP,
                new AppendEntries(PEER, LOCAL, 7, 10, 6, 15, 7, 9, List.of()),
                Unpooled.wrappedBuffer(new byte[5 * 40]))));
        final Goodbye goodbye = assertInstanceOf(Goodbye.class, decodeOutbound(channel));
        assertEquals(Goodbye.Reason.PROTOCOL_VIOLATION, goodbye.reason());
        assertEquals(refusal, goodbye.detail());
        assertFalse(channel.isOpen());
        assertLogged("member " + PEER + " at embedded (PROTOCOL_VIOLATION): " + refusal);
    }

    @Test
    @DisplayName("after the handshake, a quiet sender sends a keep-alive; a quiet receiver closes, logging why")
    void idleEventsAfterHandshake() throws Exception {
        final EmbeddedChannel channel = established();
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
        assertEquals(KeepAlive.INSTANCE, decodeOutbound(channel));
        assertTrue(channel.isOpen());
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        assertFalse(channel.isOpen());
        assertNull(channel.readOutbound(), "nothing is sent to a peer taken for dead");
        assertLogged("closing the connection to member " + PEER + " at embedded: nothing received for "
                + IDLE_TIMEOUT.toMillis() + " ms");
    }

    @Test
    @DisplayName("a peer whose handshake is not complete at the deadline is closed, logged with its address")
    void handshakeDeadline() throws Exception {
        final EmbeddedChannel channel = acceptor();
        final ByteBuf hello = frame(new Handshake(CLUSTER, PEER, LOCAL, V1, V1));
        channel.writeInbound(hello.readRetainedSlice(hello.readableBytes() - 1)); // all but the last byte
        hello.release();
        channel.advanceTimeBy(HANDSHAKE_DEADLINE.toNanos() - 1, java.util.concurrent.TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(channel.isOpen());
        channel.advanceTimeBy(1, java.util.concurrent.TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        assertFalse(channel.isOpen());
        assertTrue(established.isEmpty());
        assertLogged("closing the connection to unidentified peer at embedded: no handshake within "
                + HANDSHAKE_DEADLINE.toMillis() + " ms");
    }

    @Test
    @DisplayName("the handshake deadline no longer applies once the handshake completed")
    void handshakeDeadlineEndsWithHandshake() throws Exception {
        final EmbeddedChannel channel = established();
        channel.advanceTimeBy(2 * HANDSHAKE_DEADLINE.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(channel.isOpen());
        assertEquals(List.of(PEER), established);
    }

    @Test
    @DisplayName("before the handshake, a quiet sender sends nothing (a handshake comes first); a quiet peer is closed")
    void idleEventsBeforeHandshake() throws Exception {
        final EmbeddedChannel channel = acceptor();
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
        assertNull(channel.readOutbound());
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        assertFalse(channel.isOpen());
        assertTrue(established.isEmpty());
        assertLogged("nothing received for");
    }

    private EmbeddedChannel initiator() throws Exception {
        final EmbeddedChannel channel = new EmbeddedChannel(false, false);
        channel.freezeTime();
        PeerPipeline.install(
                channel,
                LIMITS,
                KEEP_ALIVE,
                IDLE_TIMEOUT,
                HandshakeHandler.initiating(
                        new HandshakeInitiator(CLUSTER, LOCAL, PEER, V1, V1),
                        LOCAL,
                        LIMITS,
                        HANDSHAKE_DEADLINE,
                        events));
        channel.register();
        return channel;
    }

    private EmbeddedChannel acceptor() throws Exception {
        final EmbeddedChannel channel = new EmbeddedChannel(false, false);
        channel.freezeTime();
        PeerPipeline.install(
                channel,
                LIMITS,
                KEEP_ALIVE,
                IDLE_TIMEOUT,
                HandshakeHandler.accepting(
                        new HandshakeAcceptor(CLUSTER, LOCAL, Set.of(PEER)::contains, V1, V1),
                        LOCAL,
                        LIMITS,
                        HANDSHAKE_DEADLINE,
                        events));
        channel.register();
        return channel;
    }

    private EmbeddedChannel established() throws Exception {
        final EmbeddedChannel channel = acceptor();
        channel.writeInbound(frame(new Handshake(CLUSTER, PEER, LOCAL, V1, V1)));
        assertInstanceOf(HandshakeAccepted.class, decodeOutbound(channel));
        return channel;
    }

    private ByteBuf frame(Frame frame) {
        final ByteBuf out = Unpooled.buffer();
        encoder.encode(frame, out);
        return out;
    }

    private static Frame decodeOutbound(EmbeddedChannel channel) throws WireFormatException {
        final ByteBuf written = channel.readOutbound();
        try {
            return new FrameDecoder(LIMITS).decode(written, LOCAL, PEER);
        } finally {
            written.release();
        }
    }

    private void assertLogged(String text) {
        assertTrue(
                warnings.stream()
                        .anyMatch(r -> java.text.MessageFormat.format(r.getMessage(), r.getParameters())
                                .contains(text)),
                () -> "no log record mentions '" + text + "'");
    }
}
