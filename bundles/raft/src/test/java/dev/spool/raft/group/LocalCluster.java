package dev.spool.raft.group;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.group.Durability;
import dev.spool.api.group.GroupRole;
import dev.spool.api.spi.journal.JournalSpec;
import dev.spool.raft.pipeline.AgentRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Three members of one group in this JVM, each with its own storage directory and state machine, sharing one set of
 * agent threads (as groups of one member would) and an {@link InProcessNetwork}.
 */
final class LocalCluster implements AutoCloseable {

    /** One member: its storage, state machine and group. */
    record Node(String id, LocalStorage storage, ChecksumMachine machine, GroupMember<byte[]> group) {}

    final InProcessNetwork network;
    final AgentRunner runner;
    final List<Node> nodes = new ArrayList<>();

    LocalCluster(Path directory, String runnerName, JournalSpec spec, int size, Durability durability)
            throws IOException {
        this(
                directory,
                runnerName,
                spec,
                size,
                durability,
                new InProcessNetwork(),
                ChecksumMachine::new,
                new BytesCodec(),
                1_000_000,
                5_000,
                1_000_000);
    }

    /** Members whose settings {@code tune} adjusts (forwarding, capacity). */
    LocalCluster(
            Path directory,
            String runnerName,
            JournalSpec spec,
            int size,
            Durability durability,
            java.util.function.UnaryOperator<GroupSettings> tune)
            throws IOException {
        this(
                directory,
                runnerName,
                spec,
                size,
                durability,
                new InProcessNetwork(),
                ChecksumMachine::new,
                new BytesCodec(),
                1_000_000,
                5_000,
                1_000_000,
                tune);
    }

    LocalCluster(
            Path directory,
            String runnerName,
            JournalSpec spec,
            int size,
            Durability durability,
            InProcessNetwork network,
            java.util.function.Supplier<ChecksumMachine> machines,
            dev.spool.api.codec.PayloadCodec<byte[]> codec,
            long tickNanos,
            long snapshotInterval,
            long keptBehindSnapshot)
            throws IOException {
        this(
                directory,
                runnerName,
                spec,
                size,
                durability,
                network,
                machines,
                codec,
                tickNanos,
                snapshotInterval,
                keptBehindSnapshot,
                java.util.function.UnaryOperator.identity());
    }

    private LocalCluster(
            Path directory,
            String runnerName,
            JournalSpec spec,
            int size,
            Durability durability,
            InProcessNetwork network,
            java.util.function.Supplier<ChecksumMachine> machines,
            dev.spool.api.codec.PayloadCodec<byte[]> codec,
            long tickNanos,
            long snapshotInterval,
            long keptBehindSnapshot,
            java.util.function.UnaryOperator<GroupSettings> tune)
            throws IOException {
        this.network = network;
        runner = AgentRunner.start(runnerName, 3, 1_000_000, (agent, error) -> error.printStackTrace());
        final var members = new ArrayList<Member>();
        for (int i = 1; i <= size; i++) {
            members.add(Member.voter("m" + i, ""));
        }
        final var membership = new Membership(members);
        for (Member member : members) {
            final var settings = tune.apply(new GroupSettings(
                    "g",
                    member.id(),
                    membership,
                    durability,
                    tickNanos,
                    20,
                    2,
                    1024,
                    snapshotInterval,
                    keptBehindSnapshot));
            final var machine = machines.get();
            nodes.add(new Node(
                    member.id(),
                    new LocalStorage(directory.resolve(member.id()), spec),
                    machine,
                    new GroupMember<>(settings, machine, codec, runner, System::nanoTime)));
        }
    }

    void startAll() throws IOException {
        for (Node node : nodes) {
            node.group().start(node.storage().journals, node.storage().snapshots, network.streamer());
        }
    }

    /** Waits until one member leads and every other follows it; returns the leader. */
    Node awaitLeader() {
        final Node[] leader = new Node[1];
        Await.until(
                "one leader followed by all",
                () -> {
                    leader[0] = null;
                    for (Node node : nodes) {
                        if (node.group().role() == GroupRole.LEADER) {
                            leader[0] = node;
                        }
                    }
                    if (leader[0] == null) {
                        return false;
                    }
                    for (Node node : nodes) {
                        if (!node.group().leaderId().map(leader[0].id()::equals).orElse(false)) {
                            return false;
                        }
                    }
                    return true;
                },
                this::describe);
        return leader[0];
    }

    /** Waits until every member applied at least {@code index}. */
    void awaitApplied(long index) {
        Await.until(
                "every member applies " + index,
                () -> nodes.stream().allMatch(node -> node.group().appliedIndex() >= index),
                this::describe);
    }

    Node node(String id) {
        return nodes.stream().filter(node -> node.id().equals(id)).findFirst().orElseThrow();
    }

    String describe() {
        final var text = new StringBuilder();
        for (Node node : nodes) {
            text.append(node.group()).append("; ");
        }
        return text.toString();
    }

    @Override
    public void close() throws IOException {
        for (Node node : nodes) {
            node.group().stop();
        }
        runner.close();
        for (Node node : nodes) {
            node.storage().close();
        }
    }
}
