package dev.spool.replication;

import static dev.spool.replication.Loopback.ANY_PORT;
import static dev.spool.replication.Loopback.CLUSTER;
import static dev.spool.replication.Loopback.NOT_DIALED;
import static dev.spool.replication.Loopback.awaitTrue;
import static dev.spool.replication.Loopback.member;
import static dev.spool.replication.Loopback.sendWhenCredited;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.spi.raft.AppendEntries;
import dev.spool.api.spi.raft.Heartbeat;
import dev.spool.api.spi.raft.RaftMessage;
import dev.spool.api.spi.raft.TimeoutNow;
import dev.spool.api.spi.replication.GroupLink;
import dev.spool.replication.wire.HandshakeAcceptor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Streamers on the loopback interface, ephemeral ports, talking to each other over real TCP connections. */
@Timeout(60)
@ExtendWith(LeakDetection.class)
class NettyReplicationStreamerTest {

    private final Loopback loopback = new Loopback();

    @AfterEach
    void closeAll() throws Exception {
        loopback.close();
    }

    private NettyReplicationStreamer start(
            String cluster, String id, InetSocketAddress listen, Map<String, InetSocketAddress> peers) {
        return loopback.start(cluster, id, listen, peers);
    }

    @Test
    @DisplayName(
            "three members connect; every message type of two groups arrives in order, records intact, views released")
    void everyMessageTypeForTwoGroups() throws Exception {
        loopback.exchangeEveryMessageType();
    }

    @Test
    @DisplayName("a member of another cluster is refused: the acceptor logs WRONG_CLUSTER and neither side connects")
    void otherClusterRefused() throws Exception {
        final CountDownLatch refused = new CountDownLatch(1);
        final Logger log = Logger.getLogger(HandshakeAcceptor.class.getName());
        final Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getParameters() != null
                        && record.getParameters().length > 0
                        && "WRONG_CLUSTER".equals(String.valueOf(record.getParameters()[0]))) {
                    refused.countDown();
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        log.addHandler(capture);
        try {
            final NettyReplicationStreamer c = start(CLUSTER, "c", ANY_PORT, Map.of("a", NOT_DIALED));
            final NettyReplicationStreamer stranger = start("cluster-b", "a", ANY_PORT, Map.of("c", c.localAddress()));
            assertTrue(refused.await(30, TimeUnit.SECONDS));
            assertFalse(c.connected("a"));
            assertFalse(stranger.connected("c"));
            assertFalse(stranger.join("g", member("a"), new RecordingInbox())
                    .send(member("c"), new TimeoutNow("a", "c", 1)));
        } finally {
            log.removeHandler(capture);
        }
    }

    @Test
    @DisplayName("after the peer restarts at the same address, the connecting member reconnects and messages flow")
    void reconnectAfterPeerRestart() throws Exception {
        final NettyReplicationStreamer b = start(CLUSTER, "b", ANY_PORT, Map.of("a", NOT_DIALED));
        final InetSocketAddress bAddress = b.localAddress();
        final NettyReplicationStreamer a = start(CLUSTER, "a", ANY_PORT, Map.of("b", bAddress));
        final GroupLink link = a.join("g", member("a"), new RecordingInbox());
        final RecordingInbox first = new RecordingInbox();
        b.join("g", member("b"), first);
        awaitTrue(() -> a.connected("b") && b.connected("a"));
        assertTrue(link.send(member("b"), new TimeoutNow("a", "b", 1)));
        assertEquals(1, first.take().message().term());

        b.close();
        final NettyReplicationStreamer restarted = start(CLUSTER, "b", bAddress, Map.of("a", NOT_DIALED));
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
        final NettyReplicationStreamer b = start(CLUSTER, "b", ANY_PORT, Map.of("a", NOT_DIALED));
        final GroupLink link = b.join("g", member("b"), new RecordingInbox());
        final AppendEntries append = new AppendEntries("b", "a", 1, 0, 0, 1, 1, 0, List.of());
        final TestRecords view = TestRecords.of(append);
        assertFalse(link.sendRecords(member("a"), append, view));
        assertEquals(1, view.releases());
        assertFalse(link.send(member("a"), new TimeoutNow("b", "a", 1)));
        assertEquals(2, b.droppedMessages());
    }

    @Test
    @DisplayName("a burst of sends from one thread, messages and records mixed, reaches the peer complete and in order")
    void burstArrivesInOrder() throws Exception {
        final NettyReplicationStreamer b = start(CLUSTER, "b", ANY_PORT, Map.of("a", NOT_DIALED));
        final NettyReplicationStreamer a = start(CLUSTER, "a", ANY_PORT, Map.of("b", b.localAddress()));
        final RecordingInbox inbox = new RecordingInbox();
        b.join("g", member("b"), inbox);
        final GroupLink link = a.join("g", member("a"), new RecordingInbox());
        awaitTrue(() -> a.connected("b") && b.connected("a"));
        // The first bulk frame goes once b's window for the group has arrived; after it, the burst.
        final AppendEntries first = new AppendEntries("a", "b", 1, 0, 0, 1, 1, 0, List.of());
        sendWhenCredited(link, member("b"), first, new byte[40]);
        assertEquals(first, inbox.take().message());
        final long dropsBefore = a.droppedMessages() + a.droppedWithoutCredit();

        final int burst = 2_000;
        final List<RaftMessage> sent = new ArrayList<>();
        long lastIndex = 1;
        for (int i = 0; i < burst; i++) {
            if (i % 10 == 0) {
                final AppendEntries append =
                        new AppendEntries("a", "b", 1, lastIndex, 1, lastIndex + 1, 1, 0, List.of());
                lastIndex++;
                assertTrue(link.sendRecords(member("b"), append, TestRecords.of(append)), "append " + i);
                sent.add(append);
            } else {
                final Heartbeat heartbeat = new Heartbeat("a", "b", 1, 0, i);
                assertTrue(link.send(member("b"), heartbeat), "heartbeat " + i);
                sent.add(heartbeat);
            }
        }
        for (RaftMessage message : sent) {
            assertEquals(message, inbox.take().message());
        }
        assertEquals(dropsBefore, a.droppedMessages() + a.droppedWithoutCredit(), "nothing of the burst was dropped");
    }

    @Test
    @DisplayName("a group joins once per member; a closed link detaches it so it can join again")
    void joinOncePerGroup() throws Exception {
        final NettyReplicationStreamer b = start(CLUSTER, "b", ANY_PORT, Map.of("a", NOT_DIALED));
        final GroupLink link = b.join("g", member("b"), new RecordingInbox());
        assertThrows(IllegalStateException.class, () -> b.join("g", member("b"), new RecordingInbox()));
        assertThrows(IllegalArgumentException.class, () -> b.join("h", member("a"), new RecordingInbox()));
        link.close();
        b.join("g", member("b"), new RecordingInbox()).close();
    }
}
