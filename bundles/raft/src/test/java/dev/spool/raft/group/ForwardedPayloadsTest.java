package dev.spool.raft.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.group.Durability;
import dev.spool.api.group.ProposalCallback;
import dev.spool.api.group.RaftGroupException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proposals forwarded by a follower reach every member's state machine with exactly the bytes that were proposed,
 * even when the application's codec hands out one reused object per thread from {@code decode}
 * ({@link ReusingBytesCodec}), as an allocation-conscious application does: the leader must not keep a decoded
 * object beyond the next decode on the thread that decoded it.
 */
@Timeout(120)
class ForwardedPayloadsTest {

    private static final int PROPOSALS = 5_000;
    private static final int IN_FLIGHT = 128;
    private static final int PAYLOAD_BYTES = 64;

    @TempDir
    Path directory;

    private LocalCluster cluster;

    @AfterEach
    void tearDown() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A payload: its id, then a filler byte derived from the id up to {@link #PAYLOAD_BYTES}. */
    static byte[] payload(int id) {
        final ByteBuffer bytes = ByteBuffer.allocate(PAYLOAD_BYTES).putInt(id);
        while (bytes.hasRemaining()) {
            bytes.put(filler(id));
        }
        return bytes.array();
    }

    private static byte filler(int id) {
        return (byte) (id * 31 + 7);
    }

    /** Checks a payload against the proposal its id names; {@code null} if it is one, otherwise what is wrong. */
    static String check(byte[] payload, long index) {
        if (payload.length != PAYLOAD_BYTES) {
            return "entry " + index + " has " + payload.length + " bytes";
        }
        final ByteBuffer bytes = ByteBuffer.wrap(payload);
        final int id = bytes.getInt();
        while (bytes.hasRemaining()) {
            if (bytes.get() != filler(id)) {
                return "entry " + index + " of id " + id + " has a wrong filler byte at " + (bytes.position() - 1);
            }
        }
        return null;
    }

    @Test
    @DisplayName("a follower forwards proposals with 128 in flight through a codec whose decode reuses one object per"
            + " thread: every member applies exactly the proposed bytes, each proposal once")
    void forwardedBytesArriveIntact() throws Exception {
        final Queue<String> wrong = new ConcurrentLinkedQueue<>();
        final AtomicIntegerArray[] appliedIds = new AtomicIntegerArray[3];
        final int[] next = {0};
        cluster = new LocalCluster(
                directory,
                "forwarded",
                LocalStorage.SMALL_SEGMENTS,
                3,
                Durability.NONE,
                new InProcessNetwork(),
                () -> {
                    final AtomicIntegerArray counts = new AtomicIntegerArray(PROPOSALS);
                    appliedIds[next[0]++] = counts;
                    return new ChecksumMachine((payload, index) -> {
                        final String problem = check(payload, index);
                        if (problem != null) {
                            wrong.add(problem);
                        } else {
                            counts.incrementAndGet(ByteBuffer.wrap(payload).getInt());
                        }
                    });
                },
                new ReusingBytesCodec(),
                1_000_000,
                1_000_000,
                1_000);
        cluster.startAll();
        final LocalCluster.Node leader = cluster.awaitLeader();
        final LocalCluster.Node follower = cluster.nodes.stream()
                .filter(node -> node != leader)
                .findFirst()
                .orElseThrow();

        final Semaphore inFlight = new Semaphore(IN_FLIGHT);
        final Outcomes outcomes = new Outcomes();
        final ProposalCallback callback = new ProposalCallback() {
            @Override
            public void applied(long index, Object result) {
                outcomes.applied(index, result);
                inFlight.release();
            }

            @Override
            public void failed(RaftGroupException error) {
                outcomes.failed(error);
                inFlight.release();
            }
        };
        for (int id = 0; id < PROPOSALS; id++) {
            assertTrue(inFlight.tryAcquire(30, TimeUnit.SECONDS), cluster::describe);
            follower.group().propose(payload(id), 30, TimeUnit.SECONDS, callback);
        }
        Await.until("every forwarded proposal settles", () -> outcomes.settled() == PROPOSALS, cluster::describe);
        assertTrue(
                outcomes.failures.isEmpty(),
                () -> outcomes.failures.size() + " failed, first " + outcomes.failures.peek());
        cluster.awaitApplied(outcomes.lastIndex.get());
        assertTrue(
                wrong.isEmpty(),
                () -> wrong.size() + " entries applied with other bytes than proposed, first: " + wrong.peek());
        for (int member = 0; member < 3; member++) {
            for (int id = 0; id < PROPOSALS; id++) {
                assertEquals(
                        1,
                        appliedIds[member].get(id),
                        cluster.nodes.get(member).id() + " applies proposal " + id + " once");
            }
        }
    }
}
