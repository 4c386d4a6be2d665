package dev.spool.itests.cluster.member;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.spi.journal.JournalSpec;
import dev.spool.api.spi.snapshot.SnapshotCompression;
import dev.spool.journal.MappedJournalService;
import dev.spool.raft.group.GroupMember;
import dev.spool.raft.group.GroupSettings;
import dev.spool.raft.pipeline.AgentRunner;
import dev.spool.replication.LinkTiming;
import dev.spool.replication.NettyReplicationStreamer;
import dev.spool.replication.StreamerSettings;
import dev.spool.replication.TlsSettings;
import dev.spool.snapshot.FileSnapshotStore;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Spool member of one group, built from plain Java as an application would without OSGi: a
 * {@link MappedJournalService}, a {@link FileSnapshotStore}, a {@link NettyReplicationStreamer}, the member's
 * {@link AgentRunner} threads and a {@link GroupMember} running a {@link SequenceMachine}.
 *
 * <p>Threads: created and closed by the process's main thread; the group is used from any thread.
 */
public final class ClusterNode implements AutoCloseable {

    /** The prefix of the member's agent threads' names, which allocation counters look for. */
    public static final String RAFT_THREAD_PREFIX = "raft-";
    /** The prefix of the transport's event-loop threads' names. */
    public static final String TRANSPORT_THREAD_PREFIX = "spool-replication-";

    private static final System.Logger LOG = System.getLogger(ClusterNode.class.getName());
    /** An idle agent thread parks at most this long: the wake-up latency of a quiet member. */
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final SequenceMachine machine;
    private final GroupMember<Sequenced> group;

    /**
     * Starts the member: opens its storage, listens for and connects to its peers, recovers the group and starts it.
     *
     * @param options the member's command line
     * @throws IOException if the storage cannot be opened or recovered
     */
    public ClusterNode(MemberOptions options) throws IOException {
        machine = new SequenceMachine(options.snapshotBallast());
        try {
            final var streamer = new NettyReplicationStreamer(streamerSettings(options));
            opened.add(streamer);
            final var runner = AgentRunner.start(
                    RAFT_THREAD_PREFIX + options.id(),
                    options.raftThreads(),
                    MAX_PARK_NANOS,
                    (agent, error) -> LOG.log(Level.ERROR, "agent " + agent + " failed", error));
            opened.add(runner);
            final var journals = new MappedJournalService(
                    options.dataDirectory().resolve("journal"),
                    new JournalSpec(options.durability(), options.segmentSize(), options.maxEntrySize()),
                    0);
            opened.add(journals);
            final var snapshots =
                    new FileSnapshotStore(options.dataDirectory().resolve("snapshots"), 2, SnapshotCompression.NONE);
            opened.add(snapshots);
            group = new GroupMember<>(
                    groupSettings(options),
                    machine,
                    new SequencedCodec(options.maxEntrySize()),
                    runner,
                    System::nanoTime);
            group.start(journals, snapshots, streamer);
            opened.add(group::stop);
        } catch (IOException | RuntimeException e) {
            closeQuietly(e);
            throw e;
        }
    }

    private static StreamerSettings streamerSettings(MemberOptions options) {
        final StreamerSettings defaults =
                StreamerSettings.of(options.cluster(), options.id(), options.listen(), options.peers());
        final TlsSettings tls = options.tlsKeyStore() == null
                ? null
                : new TlsSettings(
                        options.tlsKeyStore(),
                        "PKCS12",
                        options.tlsPassword(),
                        options.tlsTrustStore(),
                        "PKCS12",
                        options.tlsPassword());
        // A restarted member is reconnected to within the backoff cap: keep it short for tests that restart members.
        final LinkTiming timing = defaults.timing();
        return new StreamerSettings(
                defaults.cluster(),
                defaults.memberId(),
                defaults.listenAddress(),
                defaults.peers(),
                defaults.limits(),
                new LinkTiming(
                        timing.connectTimeout(),
                        Duration.ofMillis(50),
                        Duration.ofMillis(options.maxBackoffMillis()),
                        timing.keepAliveInterval(),
                        Duration.ofMillis(options.idleTimeoutMillis())),
                defaults.window(),
                tls,
                options.ioThreads());
    }

    private static GroupSettings groupSettings(MemberOptions options) {
        // A joining member's peers are the running group; it is not among them until a membership change adds it.
        final List<Member> members = new ArrayList<>();
        if (!options.join()) {
            members.add(Member.voter(options.id(), hostPort(options.listen())));
        }
        options.peers().forEach((id, address) -> members.add(Member.voter(id, hostPort(address))));
        final Membership membership = new Membership(members);
        final GroupSettings settings = new GroupSettings(
                options.group(),
                options.id(),
                Membership.of(Member.voter(options.id(), hostPort(options.listen()))),
                options.durability(),
                TimeUnit.MILLISECONDS.toNanos(options.tickMillis()),
                options.electionTicks(),
                options.heartbeatTicks(),
                options.slots(),
                options.snapshotInterval(),
                options.keptBehindSnapshot());
        return settings.withJoin(membership, options.join());
    }

    private static String hostPort(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    /** @return the member's group */
    public GroupMember<Sequenced> group() {
        return group;
    }

    /** @return the group's state machine */
    public SequenceMachine machine() {
        return machine;
    }

    /** Stops the group, then the storage, threads and transport: nothing of the member runs when it returns. */
    @Override
    public void close() {
        closeQuietly(null);
    }

    private void closeQuietly(Exception cause) {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                if (cause != null) {
                    cause.addSuppressed(e);
                } else {
                    LOG.log(Level.WARNING, "closing the member failed", e);
                }
            }
        }
        opened.clear();
    }
}
