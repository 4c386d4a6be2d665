package dev.spool.replication;

import static dev.spool.replication.Loopback.ANY_PORT;
import static dev.spool.replication.Loopback.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.codec.EntrySink;
import dev.spool.api.codec.EntrySource;
import dev.spool.api.codec.PayloadCodec;
import dev.spool.api.group.GroupRole;
import dev.spool.api.group.ProposalCallback;
import dev.spool.api.group.RaftGroupException;
import dev.spool.api.group.ReadCallback;
import dev.spool.api.group.StateMachine;
import dev.spool.api.journal.Durability;
import dev.spool.api.journal.JournalSpec;
import dev.spool.api.snapshot.SnapshotCompression;
import dev.spool.journal.MappedJournalService;
import dev.spool.raft.group.GroupMember;
import dev.spool.raft.group.GroupSettings;
import dev.spool.raft.pipeline.AgentRunner;
import dev.spool.snapshot.FileSnapshotStore;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
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
    private static final List<String> IDS = List.of("m1", "m2", "m3");
    private static final JournalSpec SPEC = new JournalSpec(Durability.NONE, 1 << 20, 32 << 10);

    @TempDir
    Path directory;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final Map<String, GroupMember<byte[]>> groups = new HashMap<>();
    private final Map<String, IdMachine> machines = new HashMap<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
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
        final TestKeyStores keys = new TestKeyStores(Files.createDirectory(directory.resolve("tls")));
        IDS.forEach(keys::keyStore);
        final Path trusted = keys.trustStore("trusted", "PKCS12", IDS.toArray(String[]::new));
        commitsEverything(member -> keys.settings(member, trusted));
    }

    /** Starts the members, proposes {@link #ENTRIES} entries until each is acknowledged, checks every member. */
    private void commitsEverything(Function<String, TlsSettings> tls) throws Exception {
        final Membership membership = new Membership(IDS.stream().map(id -> Member.voter(id, "127.0.0.1:0"))
            .toList());
        // Highest id first: a member connects to the peers whose ids sort after its own.
        final Map<String, InetSocketAddress> listening = new HashMap<>();
        for (String id : List.of("m3", "m2", "m1")) {
            final Map<String, InetSocketAddress> peers = new HashMap<>();
            for (String peer : IDS) {
                if (!peer.equals(id)) {
                    peers.put(peer, listening.getOrDefault(peer, ANY_PORT));
                }
            }
            final NettyReplicationStreamer streamer = new NettyReplicationStreamer(StreamerSettings.of("raft-test",
                id, ANY_PORT, peers).withTls(tls.apply(id)));
            listening.put(id, streamer.localAddress());
            startMember(id, membership, streamer);
        }

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
            awaitTrue(() -> leader() != null);
            // Each member takes a third of the proposals: the followers forward theirs to the leader. A proposal
            // that fails (leadership moved, buffer full) is proposed again; the test's timeout bounds it.
            final GroupMember<byte[]> proposer = groups.get(IDS.get(id % IDS.size()));
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

        awaitTrue(() -> groups.values().stream().allMatch(g -> g.appliedIndex() >= lastAcknowledgedIndex.get())
            && groups.values().stream().mapToLong(GroupMember::appliedIndex).distinct().count() == 1);
        final IdMachine reference = machines.get(IDS.get(0));
        for (String id : IDS) {
            final IdMachine machine = machines.get(id);
            for (int entry = 0; entry < ENTRIES; entry++) {
                assertTrue(machine.applied(entry), "member " + id + " lacks acknowledged entry " + entry);
            }
            assertEquals(reference.digest(), machine.digest(), "member " + id + " applied another history");
        }
        assertTrue(acknowledgedThroughFollowers.get() > 0, "some proposals were acknowledged through followers");

        final GroupMember<byte[]> follower = groups.values().stream().filter(g -> g.role() != GroupRole.LEADER)
            .findFirst().orElseThrow();
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
        assertTrue(read.get(30, TimeUnit.SECONDS) >= lastAcknowledgedIndex.get(),
            "the follower's read barrier passes only once it applied every acknowledged entry");
    }

    private void startMember(String id, Membership membership, NettyReplicationStreamer streamer)
            throws IOException {
        toClose.add(streamer);
        final AgentRunner runner = AgentRunner.start("raft-" + id, 1, 1_000_000,
            (agent, error) -> error.printStackTrace());
        toClose.add(runner);
        final MappedJournalService journals = new MappedJournalService(directory.resolve(id).resolve("journal"),
            SPEC, 0);
        toClose.add(journals);
        final FileSnapshotStore snapshots = new FileSnapshotStore(directory.resolve(id).resolve("snapshots"), 2,
            SnapshotCompression.NONE);
        toClose.add(snapshots);
        final IdMachine machine = new IdMachine();
        // 10 ms ticks: an election timeout of 200 ms, long against loopback round trips even on a loaded machine.
        final GroupSettings settings = new GroupSettings("g", id, membership, Durability.NONE,
            TimeUnit.MILLISECONDS.toNanos(10), 20, 2, 1024, 1_000, 200);
        final GroupMember<byte[]> group = new GroupMember<>(settings, machine, new BytesCodec(), runner,
            System::nanoTime);
        group.start(journals, snapshots, streamer);
        toClose.add(group::stop);
        groups.put(id, group);
        machines.put(id, machine);
    }

    /** The member that leads and is followed by every other member, or {@code null}. */
    private GroupMember<byte[]> leader() {
        for (GroupMember<byte[]> candidate : groups.values()) {
            if (candidate.role() == GroupRole.LEADER && groups.values().stream()
                .allMatch(g -> g.leaderId().map(candidate.memberId()::equals).orElse(false))) {
                return candidate;
            }
        }
        return null;
    }

    private static byte[] payload(int id) {
        return ByteBuffer.allocate(64).putInt(id).array();
    }

    /** Payloads as they are. */
    private static final class BytesCodec implements PayloadCodec<byte[]> {

        @Override
        public void encode(byte[] payload, EntrySink sink) throws IOException {
            sink.write(payload);
        }

        @Override
        public byte[] decode(EntrySource source) throws IOException {
            final byte[] payload = new byte[source.remaining()];
            source.readFully(payload);
            return payload;
        }

        @Override
        public int encodedSize(byte[] payload) {
            return payload.length;
        }
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
