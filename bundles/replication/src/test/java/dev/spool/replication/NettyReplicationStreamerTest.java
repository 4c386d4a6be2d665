package dev.spool.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.journal.RawRecords;
import dev.spool.api.raft.AppendEntries;
import dev.spool.api.raft.AppendResponse;
import dev.spool.api.raft.ForwardOutcome;
import dev.spool.api.raft.ForwardProposal;
import dev.spool.api.raft.ForwardResult;
import dev.spool.api.raft.Heartbeat;
import dev.spool.api.raft.HeartbeatResponse;
import dev.spool.api.raft.InstallSnapshot;
import dev.spool.api.raft.RaftMessage;
import dev.spool.api.raft.ReadIndexRequest;
import dev.spool.api.raft.ReadIndexResponse;
import dev.spool.api.raft.SnapshotResponse;
import dev.spool.api.raft.TimeoutNow;
import dev.spool.api.raft.VoteRequest;
import dev.spool.api.raft.VoteResponse;
import dev.spool.api.replication.GroupInbox;
import dev.spool.api.replication.GroupLink;
import dev.spool.replication.wire.HandshakeAcceptor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Streamers on the loopback interface, ephemeral ports, talking to each other over real TCP connections. */
@Timeout(60)
class NettyReplicationStreamerTest {

    private static final String CLUSTER = "cluster-a";
    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    /** The address of a peer this member never connects to (its id sorts first): only the id matters. */
    private static final InetSocketAddress NOT_DIALED = ANY_PORT;

    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    @Test
    @DisplayName("three members connect; every message type of two groups arrives in order, records intact, views released")
    void everyMessageTypeForTwoGroups() throws Exception {
        // Started highest id first: a member connects to the peers whose ids sort after its own.
        final NettyReplicationStreamer c = start(CLUSTER, "c", ANY_PORT, Map.of("a", NOT_DIALED, "b", NOT_DIALED));
        final NettyReplicationStreamer b = start(CLUSTER, "b", ANY_PORT,
            Map.of("a", NOT_DIALED, "c", c.localAddress()));
        final NettyReplicationStreamer a = start(CLUSTER, "a", ANY_PORT,
            Map.of("b", b.localAddress(), "c", c.localAddress()));
        final Map<String, RecordingInbox> atB = new LinkedHashMap<>();
        final Map<String, GroupLink> fromA = new LinkedHashMap<>();
        for (String group : List.of("g1", "g2")) {
            atB.put(group, new RecordingInbox());
            b.join(group, member("b"), atB.get(group));
            fromA.put(group, a.join(group, member("a"), new RecordingInbox()));
        }
        final RecordingInbox atA = new RecordingInbox();
        a.join("g3", member("a"), atA);
        final GroupLink fromC = c.join("g3", member("c"), new RecordingInbox());
        awaitTrue(() -> a.connected("b") && b.connected("a") && a.connected("c") && c.connected("a")
            && b.connected("c") && c.connected("b"));

        final Membership membership = Membership.of(member("a"), member("b"), member("c"));
        final byte[] records = new byte[3 * 40];
        for (int i = 0; i < records.length; i++) {
            records[i] = (byte) (i * 7);
        }
        final byte[] chunk = {1, 2, 3, 4, 5};
        for (Map.Entry<String, GroupLink> link : fromA.entrySet()) {
            final List<RaftMessage> plain = List.of(
                new VoteRequest("a", "b", 4, 10, 3, true, false),
                new VoteResponse("a", "b", 4, false, true),
                new AppendEntries("a", "b", 4, 10, 3, 10, 0, 9, List.of()),
                new AppendResponse("a", "b", 4, true, 10, 0, 0, false),
                new Heartbeat("a", "b", 4, 9, 77),
                new HeartbeatResponse("a", "b", 4, 77, 10),
                new SnapshotResponse("a", "b", 4, 100, 4096, false),
                new TimeoutNow("a", "b", 4),
                new ForwardResult("a", "b", 4, 12, ForwardOutcome.SUCCEEDED, 15),
                new ReadIndexRequest("a", "b", 4, 13),
                new ReadIndexResponse("a", "b", 4, 13, ForwardOutcome.NOT_LEADER, 0));
            for (RaftMessage message : plain) {
                assertTrue(link.getValue().send(member("b"), message));
            }
            final AppendEntries append = new AppendEntries("a", "b", 4, 10, 3, 13, 4, 9, List.of());
            final TestRecords view = new TestRecords(append, records);
            assertTrue(link.getValue().sendRecords(member("b"), append, view));
            final InstallSnapshot install = new InstallSnapshot("a", "b", 4, 100, 3, membership, 4096,
                chunk.length, true);
            assertTrue(link.getValue().sendSnapshotChunk(member("b"), install, ByteBuffer.wrap(chunk)));
            final ForwardProposal forward = new ForwardProposal("a", "b", 4, 14, -5, 2, chunk.length);
            assertTrue(link.getValue().sendForwardedProposal(member("b"), forward,
                ByteBuffer.allocateDirect(chunk.length).put(chunk).flip()));

            final RecordingInbox inbox = atB.get(link.getKey());
            for (RaftMessage message : plain) {
                assertEquals(message, inbox.take().message());
            }
            final Received appended = inbox.take();
            assertEquals(append, appended.message());
            assertArrayEquals(records, appended.bytes());
            assertTrue(view.released.await(30, TimeUnit.SECONDS), "the leader's view is released after the write");
            final Received installed = inbox.take();
            assertEquals(install, installed.message());
            assertArrayEquals(chunk, installed.bytes());
            final Received forwarded = inbox.take();
            assertEquals(forward, forwarded.message());
            assertArrayEquals(chunk, forwarded.bytes());
        }
        // The member whose id sorts last only accepts connections, and sends over them.
        final VoteResponse vote = new VoteResponse("c", "a", 5, false, true);
        assertTrue(fromC.send(member("a"), vote));
        assertEquals(vote, atA.take().message());
        assertTrue(atB.values().stream().allMatch(inbox -> inbox.received.isEmpty()));
    }

    @Test
    @DisplayName("a member of another cluster is refused: the acceptor logs WRONG_CLUSTER and neither side connects")
    void otherClusterRefused() throws Exception {
        final CountDownLatch refused = new CountDownLatch(1);
        final Logger log = Logger.getLogger(HandshakeAcceptor.class.getName());
        final Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getParameters() != null && record.getParameters().length > 0
                    && "WRONG_CLUSTER".equals(String.valueOf(record.getParameters()[0]))) {
                    refused.countDown();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(capture);
        try {
            final NettyReplicationStreamer c = start(CLUSTER, "c", ANY_PORT, Map.of("a", NOT_DIALED));
            final NettyReplicationStreamer stranger = start("cluster-b", "a", ANY_PORT,
                Map.of("c", c.localAddress()));
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
        final TestRecords view = new TestRecords(append, new byte[40]);
        assertFalse(link.sendRecords(member("a"), append, view));
        assertEquals(0, view.released.getCount());
        assertFalse(link.send(member("a"), new TimeoutNow("b", "a", 1)));
        assertEquals(2, b.droppedMessages());
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

    private NettyReplicationStreamer start(String cluster, String id, InetSocketAddress listen,
                                           Map<String, InetSocketAddress> peers) {
        final NettyReplicationStreamer streamer = new NettyReplicationStreamer(
            StreamerSettings.of(cluster, id, listen, peers).withBackoff(Duration.ofMillis(10),
                Duration.ofMillis(200)));
        started.add(streamer);
        return streamer;
    }

    private static Member member(String id) {
        return Member.voter(id, "127.0.0.1:0");
    }

    /** Waits for a condition the transport reaches on its own threads; the test's timeout bounds the wait. */
    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            if (Thread.interrupted()) {
                throw new InterruptedException("gave up waiting: the test timed out");
            }
        }
    }

    /** A received message with a copy of its bytes. */
    private record Received(RaftMessage message, byte[] bytes) {
    }

    /** An inbox that keeps what arrives, copying the bytes and releasing the records as a group does. */
    private static final class RecordingInbox implements GroupInbox {

        final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

        Received take() throws InterruptedException {
            return received.take();
        }

        @Override
        public boolean deliver(RaftMessage message) {
            return received.add(new Received(message, new byte[0]));
        }

        @Override
        public boolean deliverRecords(RaftMessage message, RawRecords records) {
            try {
                final AppendEntries append = (AppendEntries) message;
                assertEquals(append.firstIndex(), records.firstIndex());
                assertEquals(append.lastIndex(), records.lastIndex());
                assertEquals(append.entryTerm(), records.lastTerm());
                final byte[] bytes = new byte[records.buffer().remaining()];
                records.buffer().duplicate().get(bytes);
                return received.add(new Received(message, bytes));
            } finally {
                records.release();
            }
        }

        @Override
        public boolean deliverSnapshotChunk(RaftMessage message, ByteBuffer chunk) {
            return received.add(new Received(message, copy(chunk)));
        }

        @Override
        public boolean deliverForwardedProposal(ForwardProposal message, ByteBuffer payload) {
            return received.add(new Received(message, copy(payload)));
        }

        private static byte[] copy(ByteBuffer bytes) {
            final byte[] copy = new byte[bytes.remaining()];
            bytes.duplicate().get(copy);
            return copy;
        }
    }

    /** A leader's journal view over a direct buffer, telling when it is released. */
    private static final class TestRecords implements RawRecords {

        final CountDownLatch released = new CountDownLatch(1);
        private final AppendEntries range;
        private final ByteBuffer buffer;

        TestRecords(AppendEntries range, byte[] bytes) {
            this.range = range;
            this.buffer = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        }

        @Override
        public long firstIndex() {
            return range.firstIndex();
        }

        @Override
        public long lastIndex() {
            return range.lastIndex();
        }

        @Override
        public long lastTerm() {
            return range.entryTerm();
        }

        @Override
        public ByteBuffer buffer() {
            return buffer;
        }

        @Override
        public void release() {
            released.countDown();
        }
    }
}
