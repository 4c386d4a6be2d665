package dev.spool.itests.cluster;

import static dev.spool.itests.cluster.ClusterTestSupport.STARTUP;
import static dev.spool.itests.cluster.ClusterTestSupport.THREE;
import static dev.spool.itests.cluster.ClusterTestSupport.assertHolds;
import static dev.spool.itests.cluster.ClusterTestSupport.awaitSameHistory;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.itests.cluster.harness.ClusterHarness;
import dev.spool.itests.cluster.harness.MemberProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Strangers on the leader's replication port while clients write through every member: garbage bytes, a frame
 * whose length prefix is far beyond any frame, a handshake that stalls after its first bytes, and hundreds of
 * connections that never say anything. The leader must close each of them, keep serving throughout, and lose
 * nothing it acknowledged.
 */
@ExtendWith(DiscardPassedData.class)
class HostilePeersIT {

    private static final int IDLE_CONNECTIONS = 300;
    private static final int GARBAGE_CONNECTIONS = 50;
    /** Beyond the handshake deadline (the members' connect timeout, 5 s): every hostile connection must be closed. */
    private static final int CLOSED_WITHIN_MILLIS = 20_000;

    private static final long CLIENT_RANGE = 10_000_000;

    @Test
    void theLeaderClosesHostileConnectionsAndKeepsServing() throws Exception {
        try (ClusterHarness cluster = new ClusterHarness(
                ClusterTestSupport.workDirectory("hostile-peers"),
                ClusterTestSupport.memberClasspath(),
                THREE,
                List.of())) {
            cluster.startAll(STARTUP);
            final MemberProcess leader = cluster.awaitLeader(Duration.ofSeconds(30));
            final AcknowledgedSequences acknowledged = new AcknowledgedSequences();
            final AtomicBoolean stop = new AtomicBoolean();
            final List<Thread> writers = new ArrayList<>();
            for (int i = 0; i < THREE.size(); i++) {
                writers.add(writer(cluster.member(THREE.get(i)), i * CLIENT_RANGE, acknowledged, stop));
            }
            writers.forEach(Thread::start);
            ClusterTestSupport.await(
                    Duration.ofSeconds(30),
                    "writes acknowledged before the attack",
                    () -> acknowledged.count() > 1_000);

            final int port = leader.listenPort();
            final List<Socket> idle = new ArrayList<>();
            for (int i = 0; i < IDLE_CONNECTIONS; i++) {
                idle.add(connect(port));
            }
            final Socket stalled = connect(port);
            // A Handshake frame's length (100) and type, then nothing: the rest never comes.
            stalled.getOutputStream().write(new byte[] {0, 0, 0, 100, 1});
            final Socket huge = connect(port);
            huge.getOutputStream()
                    .write(ByteBuffer.allocate(5)
                            .putInt(Integer.MAX_VALUE)
                            .put((byte) 1)
                            .array());
            final Random random = new Random(42);
            for (int i = 0; i < GARBAGE_CONNECTIONS; i++) {
                try (Socket garbage = connect(port)) {
                    final byte[] bytes = new byte[64 << 10];
                    random.nextBytes(bytes);
                    garbage.getOutputStream().write(bytes);
                } catch (IOException e) {
                    // Closed by the member while the garbage was still being written: what it should do.
                }
            }
            final int before = acknowledged.count();
            assertClosed(huge, "a frame of 2 GiB");
            assertClosed(stalled, "a stalled handshake");
            for (Socket socket : idle) {
                assertClosed(socket, "one of " + IDLE_CONNECTIONS + " idle connections");
            }
            final int during = acknowledged.count() - before;
            assertTrue(during > 0, "nothing was acknowledged while the hostile connections were open");

            stop.set(true);
            for (Thread writer : writers) {
                writer.join(Duration.ofSeconds(60).toMillis());
            }
            for (MemberProcess member : cluster.members()) {
                assertTrue(member.alive(), member.id() + " died");
            }
            final MemberProcess last = cluster.awaitLeader(Duration.ofSeconds(30));
            awaitSameHistory(cluster, Duration.ofSeconds(60));
            final var reference = last.control().read();
            for (MemberProcess member : cluster.members()) {
                assertHolds(member, reference, acknowledged, Duration.ofSeconds(60));
            }
            System.out.printf(
                    "hostile peers: %d idle, %d garbage, a 2 GiB length, a stalled handshake on %s's"
                            + " port, all closed; %d writes acknowledged while they were open, %d in all, 0 lost%n",
                    IDLE_CONNECTIONS, GARBAGE_CONNECTIONS, leader.id(), during, acknowledged.count());
        }
    }

    private static Socket connect(int port) throws IOException {
        final Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(CLOSED_WITHIN_MILLIS);
        return socket;
    }

    /** The member closed the connection: a read ends or fails, and does not time out. */
    private static void assertClosed(Socket socket, String what) throws IOException {
        try (socket) {
            final InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                // A Goodbye may come first.
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the leader kept " + what + " open for " + CLOSED_WITHIN_MILLIS + " ms", e);
        } catch (IOException e) {
            // Reset: closed as well.
        }
    }

    /** Writes batches of fresh sequence numbers through one member until stopped. */
    private static Thread writer(
            MemberProcess member, long base, AcknowledgedSequences acknowledged, AtomicBoolean stop) {
        final AtomicLong next = new AtomicLong(base);
        return new Thread(
                () -> {
                    while (!stop.get()) {
                        try {
                            member.control().propose(next.getAndAdd(100), 100, 64, 16, acknowledged::add);
                        } catch (IOException e) {
                            // Refused at once: try the next batch.
                        }
                    }
                },
                "hostile-peers-writer-" + member.id());
    }
}
