package dev.spool.replication;

import static dev.spool.replication.Loopback.awaitTrue;
import static dev.spool.replication.NettyCluster.IDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.codec.EntrySink;
import dev.spool.api.codec.EntrySource;
import dev.spool.api.codec.PayloadCodec;
import dev.spool.api.group.Durability;
import dev.spool.api.group.GroupRole;
import dev.spool.api.group.ProposalCallback;
import dev.spool.api.group.RaftGroupException;
import dev.spool.api.group.StateMachine;
import dev.spool.raft.group.GroupMember;
import dev.spool.raft.group.GroupSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proposals a follower forwards over Netty reach every member's state machine with exactly the proposed bytes, with
 * many in flight and a codec whose {@code decode} returns one reused object per thread (as an allocation-conscious
 * application's does): the leader appends the bytes that arrived, and applies them decoded from its journal. No
 * Netty buffer leaks on the way ({@link LeakDetection}).
 */
@Timeout(120)
@ExtendWith(LeakDetection.class)
class ForwardedPayloadsOverNettyTest {

    private static final int PROPOSALS = 5_000;
    private static final int IN_FLIGHT = 128;
    private static final int PAYLOAD_BYTES = 64;

    @TempDir
    Path directory;

    private NettyCluster<Sequenced> cluster;
    private final Map<String, CheckingMachine> machines = new HashMap<>();

    @AfterEach
    void closeAll() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @DisplayName("over TCP, 128 proposals in flight through a follower with a reusing codec apply as proposed, each"
            + " once, on every member")
    void forwardedOverTcp() throws Exception {
        forwardsIntact(member -> null);
    }

    @Test
    @DisplayName("over mutual TLS, 128 proposals in flight through a follower with a reusing codec apply as proposed,"
            + " each once, on every member")
    void forwardedOverTls() throws Exception {
        forwardsIntact(NettyCluster.mutualTls(directory.resolve("tls")));
    }

    private void forwardsIntact(Function<String, TlsSettings> tls) throws Exception {
        cluster = new NettyCluster<>(directory, "forward-test", 2, tls);
        // An election timeout of a second: paranoid leak tracking and TLS make a loaded machine slow to answer.
        cluster.startAll(
                id -> new GroupSettings(
                        "g",
                        id,
                        cluster.membership(),
                        Durability.NONE,
                        TimeUnit.MILLISECONDS.toNanos(10),
                        100,
                        5,
                        1024,
                        100_000,
                        1_000),
                id -> machines.computeIfAbsent(id, any -> new CheckingMachine()),
                new ReusingCodec());
        awaitTrue(() -> cluster.leader() != null);
        final GroupMember<Sequenced> follower = cluster.groups().stream()
                .filter(g -> g.role() != GroupRole.LEADER)
                .findFirst()
                .orElseThrow();

        final Semaphore inFlight = new Semaphore(IN_FLIGHT);
        final AtomicIntegerArray acknowledged = new AtomicIntegerArray(PROPOSALS);
        final AtomicLong lastIndex = new AtomicLong();
        final Queue<RaftGroupException> failures = new ConcurrentLinkedQueue<>();
        for (int sequence = 0; sequence < PROPOSALS; sequence++) {
            assertTrue(inFlight.tryAcquire(30, TimeUnit.SECONDS), "a forwarded proposal ends");
            final int proposed = sequence;
            follower.propose(new Sequenced(sequence), 30, TimeUnit.SECONDS, new ProposalCallback() {
                @Override
                public void applied(long index, Object result) {
                    lastIndex.accumulateAndGet(index, Math::max);
                    acknowledged.incrementAndGet(proposed);
                    inFlight.release();
                }

                @Override
                public void failed(RaftGroupException error) {
                    failures.add(error); // a leader change under load: the proposal may or may not apply
                    inFlight.release();
                }
            });
        }
        assertTrue(inFlight.tryAcquire(IN_FLIGHT, 60, TimeUnit.SECONDS), "every forwarded proposal ends");
        // Leader changes on a loaded machine fail proposals as outcome unknown (they may apply or not); the property
        // is about the bytes every member applies, which needs many forwarded proposals through, not all of them.
        assertTrue(
                PROPOSALS - failures.size() >= 10 * IN_FLIGHT,
                () -> failures.size() + " forwarded proposals" + " failed, first " + failures.peek());
        cluster.awaitSameApplied(lastIndex.get());
        final CheckingMachine reference = machines.get(IDS.get(0));
        for (String id : IDS) {
            final CheckingMachine machine = machines.get(id);
            assertTrue(
                    machine.wrong.isEmpty(),
                    () -> "member " + id + " applied " + machine.wrong.size()
                            + " entries with other bytes than proposed, first: " + machine.wrong.peek());
            for (int sequence = 0; sequence < PROPOSALS; sequence++) {
                final int applied = machine.applied.get(sequence);
                assertTrue(applied <= 1, "member " + id + " applies proposal " + sequence + " at most once");
                if (acknowledged.get(sequence) > 0) {
                    assertEquals(1, applied, "member " + id + " applies acknowledged proposal " + sequence);
                }
                assertEquals(
                        reference.applied.get(sequence),
                        applied,
                        "member " + id + " applies what " + IDS.get(0) + " applies");
            }
        }
    }

    /** A payload: a sequence number and a filler byte derived from it, {@link #PAYLOAD_BYTES} in all. */
    static final class Sequenced {
        int sequence;
        final byte[] filler = new byte[PAYLOAD_BYTES - Integer.BYTES];

        Sequenced() {}

        Sequenced(int sequence) {
            this.sequence = sequence;
            java.util.Arrays.fill(filler, filler(sequence));
        }

        static byte filler(int sequence) {
            return (byte) (sequence * 31 + 7);
        }
    }

    /** Decodes into one object per thread, reused at the next decode on that thread. */
    private static final class ReusingCodec implements PayloadCodec<Sequenced> {

        private final ThreadLocal<Sequenced> decoded = ThreadLocal.withInitial(Sequenced::new);

        @Override
        public void encode(Sequenced payload, EntrySink sink) throws IOException {
            sink.writeInt(payload.sequence);
            sink.write(payload.filler);
        }

        @Override
        public Sequenced decode(EntrySource source) throws IOException {
            final Sequenced payload = decoded.get();
            payload.sequence = source.readInt();
            source.readFully(payload.filler);
            return payload;
        }

        @Override
        public int encodedSize(Sequenced payload) {
            return PAYLOAD_BYTES;
        }
    }

    /** Checks every applied payload against the proposal its sequence names and counts each sequence applied. */
    private static final class CheckingMachine implements StateMachine<Sequenced> {

        final AtomicIntegerArray applied = new AtomicIntegerArray(PROPOSALS);
        final Queue<String> wrong = new ConcurrentLinkedQueue<>();

        @Override
        public Object apply(long index, Sequenced payload) {
            for (int i = 0; i < payload.filler.length; i++) {
                if (payload.filler[i] != Sequenced.filler(payload.sequence)) {
                    wrong.add("entry " + index + " of sequence " + payload.sequence + " has a wrong filler byte at "
                            + (Integer.BYTES + i));
                    return null;
                }
            }
            if (payload.sequence >= 0 && payload.sequence < PROPOSALS) {
                applied.incrementAndGet(payload.sequence);
            } else {
                wrong.add("entry " + index + " has sequence " + payload.sequence);
            }
            return null;
        }

        @Override
        public void writeSnapshot(OutputStream out) {}

        @Override
        public void restore(InputStream in, int formatVersion) {}

        @Override
        public void reset() {}
    }
}
