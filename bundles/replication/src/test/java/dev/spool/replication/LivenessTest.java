package dev.spool.replication;

import static dev.spool.replication.Loopback.awaitTrue;
import static dev.spool.replication.Loopback.member;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.spi.raft.TimeoutNow;
import dev.spool.api.spi.replication.GroupLink;
import dev.spool.replication.wire.Frame;
import dev.spool.replication.wire.KeepAlive;
import dev.spool.testing.LogCapture;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Keep-alives and dead-peer detection between streamers on loopback, and against a raw peer that goes silent. */
@Timeout(60)
@ExtendWith(LeakDetection.class)
class LivenessTest {

    /** Keep-alives every 100 ms, dead after 1 s without a byte: short, yet far above loopback latency. */
    private static final LinkTiming QUICK = new LinkTiming(
            Duration.ofSeconds(1),
            Duration.ofMillis(10),
            Duration.ofMillis(200),
            Duration.ofMillis(100),
            Duration.ofSeconds(1));

    private final Loopback loopback = new Loopback();
    private final LogCapture log =
            loopback.closeLater(new LogCapture(Loopback.PEER_STAGE_LOGGER, NettyReplicationStreamer.class.getName()));

    @AfterEach
    void closeAll() throws Exception {
        loopback.close();
    }

    @Test
    @DisplayName("a connection nobody sends on survives several idle timeouts: keep-alives hold it open")
    void idleConnectionSurvives() throws Exception {
        final NettyReplicationStreamer b = loopback.acceptingB(settings -> settings.withTiming(QUICK));
        final NettyReplicationStreamer a = loopback.dialingA(b, settings -> settings.withTiming(QUICK));
        final RecordingInbox inbox = new RecordingInbox();
        b.join("g", member("b"), inbox);
        final GroupLink link = a.join("g", member("a"), new RecordingInbox());
        awaitTrue(() -> a.connected("b") && b.connected("a"));

        Thread.sleep(4 * QUICK.idleTimeout().toMillis());

        assertTrue(a.connected("b") && b.connected("a"));
        assertEquals(0, log.count("nothing received"), () -> String.valueOf(log.matching("nothing received")));
        assertEquals(1, log.count("member a connected to member b"), "the first connection still stands");
        assertEquals(1, log.count("member b connected to member a"), "the first connection still stands");
        final TimeoutNow message = new TimeoutNow("a", "b", 3);
        assertTrue(link.send(member("b"), message));
        assertEquals(message, inbox.take().message());
    }

    @Test
    @DisplayName("a peer that trickles its handshake a byte at a time, never silent for the idle timeout, is closed"
            + " at the connect timeout, logged with its address")
    void tricklingHandshakeIsClosed() throws Exception {
        final NettyReplicationStreamer b = loopback.acceptingB(settings -> settings.withTiming(QUICK));
        try (RawPeer a = RawPeer.connect("a", "b", b.localAddress())) {
            // A frame length of 60,000 bytes (within the frame limit), then its body one byte every 100 ms: the
            // handshake would take 100 minutes, yet the member never waits an idle timeout for a byte.
            a.sendRaw(new byte[] {0, 0, (byte) 0xEA, 0x60});
            final var trickle = new Thread(() -> {
                try {
                    while (true) {
                        Thread.sleep(QUICK.keepAliveInterval().toMillis());
                        a.sendRaw(new byte[] {1});
                    }
                } catch (InterruptedException | java.io.IOException e) {
                    // the member closed the connection, or the test ends
                }
            });
            trickle.setDaemon(true);
            trickle.start();
            try {
                assertTrue(
                        a.awaitClosed(QUICK.connectTimeout().multipliedBy(10)),
                        "the member still holds the connection after ten connect timeouts");
            } finally {
                trickle.interrupt();
            }
            final String close =
                    log.await("no handshake within " + QUICK.connectTimeout().toMillis() + " ms");
            assertTrue(close.contains(String.valueOf(a.localAddress().getPort())), close);
            assertEquals(0, log.count("nothing received"), "closed for its slow handshake, not for silence");
        }
    }

    @Test
    @DisplayName("a peer that completes the handshake and then goes silent is closed after the idle timeout, logged")
    void silentPeerIsClosed() throws Exception {
        final NettyReplicationStreamer b = loopback.acceptingB(settings -> settings.withTiming(QUICK));
        try (RawPeer a = RawPeer.handshake("a", "b", b.localAddress())) {
            awaitTrue(() -> b.connected("a"));
            // The member keeps the connection alive from its side until it gives up on the silent peer.
            int keepAlives = 0;
            for (Frame frame = a.read(); frame != null; frame = a.read()) {
                assertInstanceOf(KeepAlive.class, frame);
                keepAlives++;
            }
            assertTrue(keepAlives > 0, "keep-alives came while the member waited");
            awaitTrue(() -> !b.connected("a"));
            final List<String> closes =
                    log.matching("nothing received for " + QUICK.idleTimeout().toMillis() + " ms");
            assertEquals(1, closes.size(), () -> String.valueOf(log.matching("closing")));
            assertTrue(closes.get(0).startsWith("WARNING closing the connection to member a at "), closes.get(0));
        }
    }
}
