package dev.spool.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.journal.RawRecords;
import dev.spool.api.raft.AppendEntries;
import dev.spool.api.raft.AppendResponse;
import dev.spool.api.raft.Heartbeat;
import dev.spool.api.raft.HeartbeatResponse;
import dev.spool.api.raft.InstallSnapshot;
import dev.spool.api.raft.RaftMessage;
import dev.spool.api.raft.SnapshotResponse;
import dev.spool.api.raft.TimeoutNow;
import dev.spool.api.raft.VoteRequest;
import dev.spool.api.raft.VoteResponse;
import dev.spool.api.replication.GroupInbox;
import dev.spool.api.replication.GroupLink;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Streamers on the loopback interface (ephemeral ports, fast reconnection) started by one test and closed after it,
 * plaintext or over TLS, with the inboxes and journal views the streamer tests share.
 */
final class StreamerFixture implements AutoCloseable {

    static final String CLUSTER = "cluster-a";
    static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    /** The address of a peer this member never connects to (its id sorts first): only the id matters. */
    static final InetSocketAddress NOT_DIALED = ANY_PORT;

    private final Function<String, TlsSettings> tls;
    private final List<AutoCloseable> started = new ArrayList<>();

    /**
     * Starts streamers that talk plaintext.
     */
    StreamerFixture() {
        this(member -> null);
    }

    /**
     * Starts streamers with TLS.
     *
     * @param tls each member's TLS settings
     */
    StreamerFixture(Function<String, TlsSettings> tls) {
        this.tls = tls;
    }

    /**
     * Starts a member's streamer, closed with the fixture.
     *
     * @param cluster the cluster
     * @param id the member
     * @param listen where it listens
     * @param peers its peers
     * @return the running streamer
     */
    NettyReplicationStreamer start(String cluster, String id, InetSocketAddress listen,
                                   Map<String, InetSocketAddress> peers) {
        return start(StreamerSettings.of(cluster, id, listen, peers).withTls(tls.apply(id)));
    }

    /**
     * Starts a streamer, reconnecting after 10 ms doubling up to 200 ms, closed with the fixture.
     *
     * @param settings its settings
     * @return the running streamer
     */
    NettyReplicationStreamer start(StreamerSettings settings) {
        final NettyReplicationStreamer streamer = new NettyReplicationStreamer(
            settings.withBackoff(Duration.ofMillis(10), Duration.ofMillis(200)));
        started.add(streamer);
        return streamer;
    }

    /**
     * Starts members a, b and c of {@link #CLUSTER}; a sends every message type of two groups to b, c sends to a;
     * checks that each arrives once, in order, records intact, and that the leader's views are released.
     */
    void exchangeEveryMessageType() throws InterruptedException {
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
                new TimeoutNow("a", "b", 4));
            for (RaftMessage message : plain) {
                assertTrue(link.getValue().send(member("b"), message));
            }
            final AppendEntries append = new AppendEntries("a", "b", 4, 10, 3, 13, 4, 9, List.of());
            final TestRecords view = new TestRecords(append, records);
            assertTrue(link.getValue().sendRecords(member("b"), append, view));
            final InstallSnapshot install = new InstallSnapshot("a", "b", 4, 100, 3, membership, 4096,
                chunk.length, true);
            assertTrue(link.getValue().sendSnapshotChunk(member("b"), install, ByteBuffer.wrap(chunk)));

            final RecordingInbox inbox = atB.get(link.getKey());
            for (RaftMessage message : plain) {
                assertEquals(message, inbox.take().message());
            }
            final Received appended = inbox.take();
            assertEquals(append, appended.message());
            assertArrayEquals(records, appended.bytes());
            assertTrue(view.awaitReleased(30, TimeUnit.SECONDS), "the leader's view is released after the write");
            assertEquals(1, view.releases());
            final Received installed = inbox.take();
            assertEquals(install, installed.message());
            assertArrayEquals(chunk, installed.bytes());
        }
        // The member whose id sorts last only accepts connections, and sends over them.
        final VoteResponse vote = new VoteResponse("c", "a", 5, false, true);
        assertTrue(fromC.send(member("a"), vote));
        assertEquals(vote, atA.take().message());
        assertTrue(atB.values().stream().allMatch(inbox -> inbox.received.isEmpty()));
    }

    /** Closes every streamer started, the last first. */
    @Override
    public void close() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    static Member member(String id) {
        return Member.voter(id, "127.0.0.1:0");
    }

    /** Waits for a condition the transport reaches on its own threads; the test's timeout bounds the wait. */
    static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            if (Thread.interrupted()) {
                throw new InterruptedException("gave up waiting: the test timed out");
            }
        }
    }

    /** A received message with a copy of its bytes. */
    record Received(RaftMessage message, byte[] bytes) {
    }

    /** An inbox that keeps what arrives, copying the bytes and releasing the records as a group does. */
    static final class RecordingInbox implements GroupInbox {

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
            final byte[] bytes = new byte[chunk.remaining()];
            chunk.duplicate().get(bytes);
            return received.add(new Received(message, bytes));
        }
    }
}
