package dev.spool.replication;

import static dev.spool.replication.Loopback.awaitTrue;
import static dev.spool.replication.NettyCluster.IDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.group.Durability;
import dev.spool.api.group.GroupRole;
import dev.spool.api.group.ProposalCallback;
import dev.spool.api.group.RaftGroupException;
import dev.spool.api.group.ReadCallback;
import dev.spool.api.group.StateMachine;
import dev.spool.raft.group.GroupMember;
import dev.spool.raft.group.GroupSettings;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real Raft members (journal, snapshot store, agents) in this JVM, each replicating through its own
 * {@link NettyReplicationStreamer} over loopback TCP.
 */
@Timeout(60)
@ExtendWith(LeakDetection.class)
class RaftOverNettyTest {

    private static final int ENTRIES = 3_000;

    @TempDir
    Path directory;

    private NettyCluster<byte[]> cluster;
    private final Map<String, IdMachine> machines = new HashMap<>();

    @AfterEach
    void closeAll() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @DisplayName("three members over TCP elect a leader and commit every acknowledged entry on every member; proposals"
            + " made on followers are forwarded to the leader, and a follower's read barrier sees every acknowledged"
            + " entry")
    void commitsOverTheNetwork() throws Exception {
        commitsEverything(member -> null);
    }

    @Test
    @DisplayName("three members over mutual TLS elect a leader and commit every acknowledged entry on every member")
    void commitsOverTls() throws Exception {
        commitsEverything(NettyCluster.mutualTls(directory.resolve("tls")));
    }

    /** Starts the members, proposes {@link #ENTRIES} entries until each is acknowledged, checks every member. */
    private void commitsEverything(Function<String, TlsSettings> tls) throws Exception {
        cluster = new NettyCluster<>(directory, "raft-test", 2, tls);
        // 10 ms ticks: an election timeout of 200 ms, long against loopback round trips even on a loaded machine.
        cluster.startAll(
                id -> new GroupSettings(
                        "g",
                        id,
                        cluster.membership(),
                        Durability.NONE,
                        TimeUnit.MILLISECONDS.toNanos(10),
                        20,
                        2,
                        1024,
                        1_000,
                        200),
                id -> machines.computeIfAbsent(id, any -> new IdMachine()),
                new BytesCodec());

        final Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        final BlockingQueue<Integer> toPropose = new LinkedBlockingQueue<>();
        final AtomicLong lastAcknowledgedIndex = new AtomicLong();
        final AtomicLong acknowledgedThroughFollowers = new AtomicLong();
        for (int id = 0; id < ENTRIES; id++) {
            toPropose.add(id);
        }
        while (acknowledged.size() < ENTRIES) {
            final Integer id = toPropose.poll(10, TimeUnit.MILLISECONDS);
            if (id == null) {
                continue;
            }
            awaitTrue(() -> cluster.leader() != null);
            // Each member takes a third of the proposals: the followers forward theirs to the leader. A proposal
            // that fails (leadership moved, buffer full) is proposed again; the test's timeout bounds it.
            final GroupMember<byte[]> proposer = cluster.group(IDS.get(id % IDS.size()));
            final boolean onFollower = proposer.role() != GroupRole.LEADER;
            proposer.propose(payload(id), 5, TimeUnit.SECONDS, new ProposalCallback() {
                @Override
                public void applied(long index, Object result) {
                    if (onFollower) {
                        acknowledgedThroughFollowers.incrementAndGet();
                    }
                    acknowledged.add(id);
                    lastAcknowledgedIndex.accumulateAndGet(index, Math::max);
                }

                @Override
                public void failed(RaftGroupException error) {
                    toPropose.add(id);
                }
            });
        }

        cluster.awaitSameApplied(lastAcknowledgedIndex.get());
        final IdMachine reference = machines.get(IDS.get(0));
        for (String id : IDS) {
            final IdMachine machine = machines.get(id);
            for (int entry = 0; entry < ENTRIES; entry++) {
                assertTrue(machine.applied(entry), "member " + id + " lacks acknowledged entry " + entry);
            }
            assertEquals(reference.digest(), machine.digest(), "member " + id + " applied another history");
        }
        assertTrue(acknowledgedThroughFollowers.get() > 0, "some proposals were acknowledged through followers");

        final GroupMember<byte[]> follower = cluster.groups().stream()
                .filter(g -> g.role() != GroupRole.LEADER)
                .findFirst()
                .orElseThrow();
        final var read = new CompletableFuture<Long>();
        follower.readBarrier(5, TimeUnit.SECONDS, new ReadCallback() {
            @Override
            public void readable(long readIndex) {
                read.complete(follower.appliedIndex());
            }

            @Override
            public void failed(RaftGroupException error) {
                read.completeExceptionally(error);
            }
        });
        assertTrue(
                read.get(30, TimeUnit.SECONDS) >= lastAcknowledgedIndex.get(),
                "the follower's read barrier passes only once it applied every acknowledged entry");
    }

    private static byte[] payload(int id) {
        return ByteBuffer.allocate(64).putInt(id).array();
    }

    /** Remembers which payload ids it applied and a digest of the whole history (index and id, in order). */
    private static final class IdMachine implements StateMachine<byte[]> {

        private final BitSet applied = new BitSet();
        private long digest;

        @Override
        public synchronized Object apply(long index, byte[] payload) {
            final int id = ByteBuffer.wrap(payload).getInt();
            applied.set(id);
            digest = digest * 31 + index * 1_000_003 + id;
            return id;
        }

        @Override
        public synchronized void writeSnapshot(OutputStream out) throws IOException {
            final DataOutputStream data = new DataOutputStream(out);
            data.writeLong(digest);
            final byte[] bits = applied.toByteArray();
            data.writeInt(bits.length);
            data.write(bits);
            data.flush();
        }

        @Override
        public synchronized void restore(InputStream in, int formatVersion) throws IOException {
            final DataInputStream data = new DataInputStream(in);
            digest = data.readLong();
            final byte[] bits = new byte[data.readInt()];
            data.readFully(bits);
            applied.clear();
            applied.or(BitSet.valueOf(bits));
        }

        @Override
        public synchronized void reset() {
            applied.clear();
            digest = 0;
        }

        synchronized boolean applied(int id) {
            return applied.get(id);
        }

        synchronized long digest() {
            return digest;
        }
    }
}
