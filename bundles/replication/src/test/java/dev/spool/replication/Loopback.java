package dev.spool.replication;

import dev.spool.api.cluster.Member;
import dev.spool.api.raft.AppendEntries;
import dev.spool.api.replication.GroupLink;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/** Streamers on the loopback interface, on ephemeral ports, closed together (newest first). */
final class Loopback implements AutoCloseable {

    static final String CLUSTER = "cluster-a";
    static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    /** The address of a peer this member never connects to (its id sorts first): only the id matters. */
    static final InetSocketAddress NOT_DIALED = ANY_PORT;

    private final List<AutoCloseable> started = new ArrayList<>();

    /** Settings with quick reconnection, as tests want. */
    static StreamerSettings settings(String cluster, String id, InetSocketAddress listen,
                                     Map<String, InetSocketAddress> peers) {
        return StreamerSettings.of(cluster, id, listen, peers).withBackoff(Duration.ofMillis(10),
            Duration.ofMillis(200));
    }

    NettyReplicationStreamer start(String cluster, String id, InetSocketAddress listen,
                                   Map<String, InetSocketAddress> peers) {
        return start(settings(cluster, id, listen, peers));
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
