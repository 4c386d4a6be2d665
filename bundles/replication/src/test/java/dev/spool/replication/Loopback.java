package dev.spool.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.spi.raft.AppendEntries;
import dev.spool.api.spi.raft.AppendResponse;
import dev.spool.api.spi.raft.ForwardOutcome;
import dev.spool.api.spi.raft.ForwardProposal;
import dev.spool.api.spi.raft.ForwardResult;
import dev.spool.api.spi.raft.Heartbeat;
import dev.spool.api.spi.raft.HeartbeatResponse;
import dev.spool.api.spi.raft.InstallSnapshot;
import dev.spool.api.spi.raft.RaftMessage;
import dev.spool.api.spi.raft.ReadIndexRequest;
import dev.spool.api.spi.raft.ReadIndexResponse;
import dev.spool.api.spi.raft.SnapshotResponse;
import dev.spool.api.spi.raft.TimeoutNow;
import dev.spool.api.spi.raft.VoteRequest;
import dev.spool.api.spi.raft.VoteResponse;
import dev.spool.api.spi.replication.GroupLink;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Streamers on the loopback interface, on ephemeral ports, plaintext or over TLS, closed together (newest first),
 * and the exchange of every message type the streamer tests share.
 */
final class Loopback implements AutoCloseable {

    static final String CLUSTER = "cluster-a";
    /** The logger of both stages of a peer connection (the handshake, then frames), which log why they close one. */
    static final String PEER_STAGE_LOGGER = "dev.spool.replication.link.PeerStage";

    static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    /** The address of a peer this member never connects to (its id sorts first): only the id matters. */
    static final InetSocketAddress NOT_DIALED = ANY_PORT;

    private final List<AutoCloseable> started = new ArrayList<>();
    private final Function<String, TlsSettings> tls;

    /** Starts streamers that talk plaintext. */
    Loopback() {
        this(member -> null);
    }

    /**
     * Starts streamers with TLS.
     *
     * @param tls each member's TLS settings
     */
    Loopback(Function<String, TlsSettings> tls) {
        this.tls = tls;
    }

    /** Settings with quick reconnection, as tests want. */
    static StreamerSettings settings(
            String cluster, String id, InetSocketAddress listen, Map<String, InetSocketAddress> peers) {
        return StreamerSettings.of(cluster, id, listen, peers)
                .withBackoff(Duration.ofMillis(10), Duration.ofMillis(200));
    }

    NettyReplicationStreamer start(
            String cluster, String id, InetSocketAddress listen, Map<String, InetSocketAddress> peers) {
        return start(settings(cluster, id, listen, peers).withTls(tls.apply(id)));
    }

    NettyReplicationStreamer start(StreamerSettings settings) {
        final NettyReplicationStreamer streamer = new NettyReplicationStreamer(settings);
        started.add(streamer);
        return streamer;
    }

    /**
     * Starts member "b" of a pair, which only accepts (its peer "a" sorts first and connects to it).
     *
     * @param tune changes to the default test settings
     */
    NettyReplicationStreamer acceptingB(UnaryOperator<StreamerSettings> tune) {
        return start(tune.apply(settings(CLUSTER, "b", ANY_PORT, Map.of("a", NOT_DIALED))));
    }

    /**
     * Starts member "a" of a pair, which connects to "b".
     *
     * @param b the member connected to
     * @param tune changes to the default test settings
     */
    NettyReplicationStreamer dialingA(NettyReplicationStreamer b, UnaryOperator<StreamerSettings> tune) {
        return start(tune.apply(settings(CLUSTER, "a", ANY_PORT, Map.of("b", b.localAddress()))));
    }

    /**
     * Starts members a, b and c of {@link #CLUSTER}; a sends every message type of two groups to b, c sends to a;
     * checks that each arrives once, in order, records intact, and that the leader's views are released once.
     */
    void exchangeEveryMessageType() throws InterruptedException {
        // Started highest id first: a member connects to the peers whose ids sort after its own.
        final NettyReplicationStreamer c = start(CLUSTER, "c", ANY_PORT, Map.of("a", NOT_DIALED, "b", NOT_DIALED));
        final NettyReplicationStreamer b =
                start(CLUSTER, "b", ANY_PORT, Map.of("a", NOT_DIALED, "c", c.localAddress()));
        final NettyReplicationStreamer a =
                start(CLUSTER, "a", ANY_PORT, Map.of("b", b.localAddress(), "c", c.localAddress()));
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
        awaitTrue(() -> a.connected("b")
                && b.connected("a")
                && a.connected("c")
                && c.connected("a")
                && b.connected("c")
                && c.connected("b"));

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
            // Bulk frames wait for b's window for the group; a send refused for want of credit delivers nothing.
            final TestRecords view = sendWhenCredited(link.getValue(), member("b"), append, records);
            final InstallSnapshot install =
                    new InstallSnapshot("a", "b", 4, 100, 3, membership, 4096, chunk.length, true);
            assertTrue(link.getValue().sendSnapshotChunk(member("b"), install, ByteBuffer.wrap(chunk)));
            final ForwardProposal forward = new ForwardProposal("a", "b", 4, 14, -5, 2, chunk.length);
            assertTrue(link.getValue()
                    .sendForwardedProposal(
                            member("b"),
                            forward,
                            ByteBuffer.allocateDirect(chunk.length).put(chunk).flip()));

            final RecordingInbox inbox = atB.get(link.getKey());
            for (RaftMessage message : plain) {
                assertEquals(message, inbox.take().message());
            }
            final RecordingInbox.Received appended = inbox.take();
            assertEquals(append, appended.message());
            assertArrayEquals(records, appended.bytes());
            assertTrue(view.awaitReleased(30, TimeUnit.SECONDS), "the leader's view is released after the write");
            assertEquals(1, view.releases());
            final RecordingInbox.Received installed = inbox.take();
            assertEquals(install, installed.message());
            assertArrayEquals(chunk, installed.bytes());
            final RecordingInbox.Received forwarded = inbox.take();
            assertEquals(forward, forwarded.message());
            assertArrayEquals(chunk, forwarded.bytes());
        }
        // The member whose id sorts last only accepts connections, and sends over them.
        final VoteResponse vote = new VoteResponse("c", "a", 5, false, true);
        assertTrue(fromC.send(member("a"), vote));
        assertEquals(vote, atA.take().message());
        assertTrue(atB.values().stream().allMatch(inbox -> inbox.received.isEmpty()));
    }

    /** Closes something with the streamers, before the streamers started earlier. */
    <T extends AutoCloseable> T closeLater(T resource) {
        started.add(resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    static Member member(String id) {
        return Member.voter(id, "127.0.0.1:0");
    }

    /**
     * Sends an AppendEntries as soon as the group has the credit for it (the peer's window arrives soon after the
     * connection stands); each refused attempt is dropped and delivers nothing.
     *
     * @return the view of the attempt that was sent
     */
    static TestRecords sendWhenCredited(GroupLink link, Member to, AppendEntries append, byte[] records)
            throws InterruptedException {
        final TestRecords[] sent = new TestRecords[1];
        awaitTrue(() -> link.sendRecords(to, append, sent[0] = new TestRecords(append, records)));
        return sent[0];
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
}
