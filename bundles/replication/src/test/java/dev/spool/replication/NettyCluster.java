package dev.spool.replication;

import static dev.spool.replication.Loopback.ANY_PORT;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.codec.PayloadCodec;
import dev.spool.api.group.Durability;
import dev.spool.api.group.GroupRole;
import dev.spool.api.group.StateMachine;
import dev.spool.api.spi.journal.JournalSpec;
import dev.spool.api.spi.snapshot.SnapshotCompression;
import dev.spool.api.spi.snapshot.SnapshotStore;
import dev.spool.journal.MappedJournalService;
import dev.spool.raft.group.GroupMember;
import dev.spool.raft.group.GroupSettings;
import dev.spool.raft.pipeline.AgentRunner;
import dev.spool.snapshot.FileSnapshotStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Three Raft members, {@link #IDS}, in this JVM, each with a journal, a snapshot store and an agent thread of its
 * own, replicating through its own {@link NettyReplicationStreamer} over loopback TCP, plaintext or over mutual TLS.
 * The streamers listen from construction on; a test starts the members' groups with the settings, state machine
 * and codec it is about, and closes everything at once (groups first, newest first, then the streamers).
 *
 * @param <T> the payload type
 */
final class NettyCluster<T> implements AutoCloseable {

    static final List<String> IDS = List.of("m1", "m2", "m3");
    /** Highest id first: a member dials the peers whose ids sort after its own, which then listen already. */
    private static final List<String> START_ORDER = List.of("m3", "m2", "m1");

    private static final JournalSpec SPEC = new JournalSpec(Durability.NONE, 1 << 20, 32 << 10);

    private final Path directory;
    private final int snapshotsKept;
    private final Membership membership = new Membership(
            IDS.stream().map(id -> Member.voter(id, "127.0.0.1:0")).toList());
    private final Map<String, NettyReplicationStreamer> streamers = new HashMap<>();
    private final Map<String, GroupMember<T>> groups = new LinkedHashMap<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    /**
     * Starts the members' streamers.
     *
     * @param directory where the members keep their journals and snapshots, one directory each
     * @param name the cluster's name, which the streamers' handshake checks
     * @param snapshotsKept how many snapshots each member's store keeps
     * @param tls each member's TLS settings, {@code null} for plaintext
     */
    NettyCluster(Path directory, String name, int snapshotsKept, Function<String, TlsSettings> tls) {
        this.directory = directory;
        this.snapshotsKept = snapshotsKept;
        final Map<String, InetSocketAddress> listening = new HashMap<>();
        for (String id : START_ORDER) {
            final Map<String, InetSocketAddress> peers = new HashMap<>();
            for (String peer : IDS) {
                if (!peer.equals(id)) {
                    peers.put(peer, listening.getOrDefault(peer, ANY_PORT));
                }
            }
            final NettyReplicationStreamer streamer = new NettyReplicationStreamer(
                    StreamerSettings.of(name, id, ANY_PORT, peers).withTls(tls.apply(id)));
            toClose.add(streamer);
            streamers.put(id, streamer);
            listening.put(id, streamer.localAddress());
        }
    }

    /**
     * Makes mutual TLS settings for {@link #IDS}: a key store each (made with keytool) and one trust store holding
     * all three certificates.
     *
     * @param directory a directory to create for the stores
     * @return each member's settings
     */
    static Function<String, TlsSettings> mutualTls(Path directory) throws IOException {
        final TestKeyStores keys = new TestKeyStores(Files.createDirectory(directory));
        IDS.forEach(keys::keyStore);
        final Path trusted = keys.trustStore("trusted", "PKCS12", IDS.toArray(String[]::new));
        return member -> keys.settings(member, trusted);
    }

    /** Returns the membership every member bootstraps with: the three of them, voters. */
    Membership membership() {
        return membership;
    }

    /**
     * Starts every member's group, highest id first.
     *
     * @param settings each member's group settings
     * @param machine each member's state machine
     * @param codec the payload codec all members use
     */
    void startAll(
            Function<String, GroupSettings> settings, Function<String, StateMachine<T>> machine, PayloadCodec<T> codec)
            throws IOException {
        for (String id : START_ORDER) {
            start(settings.apply(id), machine.apply(id), codec, UnaryOperator.identity());
        }
    }

    /**
     * Starts the group of one member ({@link GroupSettings#memberId()}) on its streamer.
     *
     * @param settings the group's settings
     * @param machine its state machine
     * @param codec its payload codec
     * @param snapshots what the group sees of its snapshot store (the store itself, or a wrapper of it)
     * @return the running group
     */
    GroupMember<T> start(
            GroupSettings settings,
            StateMachine<T> machine,
            PayloadCodec<T> codec,
            UnaryOperator<SnapshotStore> snapshots)
            throws IOException {
        final String id = settings.memberId();
        final AgentRunner runner =
                AgentRunner.start("raft-" + id, 1, 1_000_000, (agent, error) -> error.printStackTrace());
        toClose.add(runner);
        final MappedJournalService journals =
                new MappedJournalService(directory.resolve(id).resolve("journal"), SPEC, 0);
        toClose.add(journals);
        final FileSnapshotStore files = new FileSnapshotStore(
                directory.resolve(id).resolve("snapshots"), snapshotsKept, SnapshotCompression.NONE);
        toClose.add(files);
        final GroupMember<T> group = new GroupMember<>(settings, machine, codec, runner, System::nanoTime);
        group.start(journals, snapshots.apply(files), streamers.get(id));
        toClose.add(group::stop);
        groups.put(id, group);
        return group;
    }

    /** Returns the started groups, in the order they started. */
    Collection<GroupMember<T>> groups() {
        return groups.values();
    }

    /** Returns a started member's group. */
    GroupMember<T> group(String id) {
        return groups.get(id);
    }

    /** Returns the started member that leads and that every started member follows, or {@code null}. */
    GroupMember<T> leader() {
        for (GroupMember<T> candidate : groups.values()) {
            if (candidate.role() == GroupRole.LEADER
                    && groups.values().stream()
                            .allMatch(g -> g.leaderId()
                                    .map(candidate.memberId()::equals)
                                    .orElse(false))) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Waits until every started member applied the same index, at least {@code index}; the test's timeout bounds the
     * wait.
     *
     * @param index the least index
     */
    void awaitSameApplied(long index) throws InterruptedException {
        Loopback.awaitTrue(() -> groups.values().stream().allMatch(g -> g.appliedIndex() >= index)
                && groups.values().stream()
                                .mapToLong(GroupMember::appliedIndex)
                                .distinct()
                                .count()
                        == 1);
    }

    /** Closes everything started, newest first; the first failure is thrown once all are closed. */
    @Override
    public void close() throws Exception {
        Exception failure = null;
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
