package dev.spool.replication;

import static dev.spool.replication.StreamerFixture.ANY_PORT;
import static dev.spool.replication.StreamerFixture.CLUSTER;
import static dev.spool.replication.StreamerFixture.NOT_DIALED;
import static dev.spool.replication.StreamerFixture.awaitTrue;
import static dev.spool.replication.StreamerFixture.member;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.raft.AppendEntries;
import dev.spool.api.raft.TimeoutNow;
import dev.spool.api.replication.GroupLink;
import dev.spool.replication.StreamerFixture.RecordingInbox;
import dev.spool.replication.wire.HandshakeAcceptor;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Streamers on the loopback interface, ephemeral ports, talking to each other over real TCP connections. */
@Timeout(60)
class NettyReplicationStreamerTest {

    private final StreamerFixture streamers = new StreamerFixture();

    @AfterEach
    void closeAll() throws Exception {
        streamers.close();
    }

    @Test
    @DisplayName("three members connect; every message type of two groups arrives in order, records intact, views released")
    void everyMessageTypeForTwoGroups() throws Exception {
        streamers.exchangeEveryMessageType();
    }

    @Test
    @DisplayName("a member of another cluster is refused: the acceptor logs WRONG_CLUSTER and neither side connects")
    void otherClusterRefused() throws Exception {
        try (LogWatch log = LogWatch.of(HandshakeAcceptor.class)) {
            final NettyReplicationStreamer c = streamers.start(CLUSTER, "c", ANY_PORT, Map.of("a", NOT_DIALED));
            final NettyReplicationStreamer stranger = streamers.start("cluster-b", "a", ANY_PORT,
                Map.of("c", c.localAddress()));
            log.await("WRONG_CLUSTER");
            assertFalse(c.connected("a"));
            assertFalse(stranger.connected("c"));
            assertFalse(stranger.join("g", member("a"), new RecordingInbox())
                .send(member("c"), new TimeoutNow("a", "c", 1)));
        }
    }

    @Test
    @DisplayName("after the peer restarts at the same address, the connecting member reconnects and messages flow")
    void reconnectAfterPeerRestart() throws Exception {
        final NettyReplicationStreamer b = streamers.start(CLUSTER, "b", ANY_PORT, Map.of("a", NOT_DIALED));
        final InetSocketAddress bAddress = b.localAddress();
        final NettyReplicationStreamer a = streamers.start(CLUSTER, "a", ANY_PORT, Map.of("b", bAddress));
        final GroupLink link = a.join("g", member("a"), new RecordingInbox());
        final RecordingInbox first = new RecordingInbox();
        b.join("g", member("b"), first);
        awaitTrue(() -> a.connected("b") && b.connected("a"));
        assertTrue(link.send(member("b"), new TimeoutNow("a", "b", 1)));
        assertEquals(1, first.take().message().term());

        b.close();
        final NettyReplicationStreamer restarted = streamers.start(CLUSTER, "b", bAddress, Map.of("a", NOT_DIALED));
        final RecordingInbox second = new RecordingInbox();
        restarted.join("g", member("b"), second);
        // The old connection is gone on a's side before a dials again, so this is the new one.
        awaitTrue(() -> restarted.connected("a") && a.connected("b"));
        assertTrue(link.send(member("b"), new TimeoutNow("a", "b", 2)));
        assertEquals(2, second.take().message().term());
    }

    @Test
    @DisplayName("a message to a peer without a connection is dropped and counted; its records are released at once")
    void dropsWithoutConnection() throws Exception {
        final NettyReplicationStreamer b = streamers.start(CLUSTER, "b", ANY_PORT, Map.of("a", NOT_DIALED));
        final GroupLink link = b.join("g", member("b"), new RecordingInbox());
        final AppendEntries append = new AppendEntries("b", "a", 1, 0, 0, 1, 1, 0, List.of());
        final TestRecords view = new TestRecords(append, new byte[40]);
        assertFalse(link.sendRecords(member("a"), append, view));
        assertEquals(1, view.releases());
        assertFalse(link.send(member("a"), new TimeoutNow("b", "a", 1)));
        assertEquals(2, b.droppedMessages());
    }

    @Test
    @DisplayName("a group joins once per member; a closed link detaches it so it can join again")
    void joinOncePerGroup() throws Exception {
        final NettyReplicationStreamer b = streamers.start(CLUSTER, "b", ANY_PORT, Map.of("a", NOT_DIALED));
        final GroupLink link = b.join("g", member("b"), new RecordingInbox());
        assertThrows(IllegalStateException.class, () -> b.join("g", member("b"), new RecordingInbox()));
        assertThrows(IllegalArgumentException.class, () -> b.join("h", member("a"), new RecordingInbox()));
        link.close();
        b.join("g", member("b"), new RecordingInbox()).close();
    }
}
