package dev.spool.raft.group;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.group.Durability;
import dev.spool.api.group.GroupRole;
import dev.spool.api.group.StateMachine;
import dev.spool.api.spi.journal.JournalSpec;
import dev.spool.raft.pipeline.DeterministicAgentScheduler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Three members of one group stepped by hand: each member runs on its own {@link DeterministicAgentScheduler} over a
 * clock the test moves, so pausing a member (as SIGSTOP would) is not running its scheduler while time goes on.
 * Deterministic: the same steps give the same run. The members' wall clock (the stamps a leader puts in its entries)
 * is the same hand-moved clock, in milliseconds.
 */
final class SteppedCluster implements AutoCloseable {

    static final long TICK_NANOS = 1_000_000;

    /** One member; its journals fill up while {@code journals.full} is set. */
    record Node(
            String id,
            LocalStorage storage,
            FullDiskJournals journals,
            DeterministicAgentScheduler scheduler,
            GroupMember<byte[]> group) {}

    final InProcessNetwork network = new InProcessNetwork();
    final List<Node> nodes = new ArrayList<>();
    private final long[] now = {0};

    /**
     * Starts three members with an election timeout of 10 ticks.
     *
     * @param tune adjusts each member's settings
     */
    SteppedCluster(Path directory, int slots, JournalSpec spec, UnaryOperator<GroupSettings> tune) throws IOException {
        this(directory, slots, member -> spec, tune);
    }

    /** Members whose journals have the spec {@code specs} gives for their id. */
    SteppedCluster(
            Path directory,
            int slots,
            java.util.function.Function<String, JournalSpec> specs,
            UnaryOperator<GroupSettings> tune)
            throws IOException {
        this(directory, slots, specs, tune, ChecksumMachine::new);
    }

    /** Members whose state machines {@code machines} makes. */
    SteppedCluster(
            Path directory,
            int slots,
            java.util.function.Function<String, JournalSpec> specs,
            UnaryOperator<GroupSettings> tune,
            Supplier<StateMachine<byte[]>> machines)
            throws IOException {
        final var random = new SplittableRandom(7);
        final var members = new ArrayList<Member>();
        for (int i = 1; i <= 3; i++) {
            members.add(Member.voter("m" + i, ""));
        }
        final var membership = new Membership(members);
        for (Member member : members) {
            final var settings = tune.apply(new GroupSettings(
                    "g", member.id(), membership, Durability.NONE, TICK_NANOS, 10, 1, slots, 1_000_000, 1_000_000));
            final var scheduler = new DeterministicAgentScheduler(random.nextLong());
            final var storage = new LocalStorage(directory.resolve(member.id()), specs.apply(member.id()));
            final var group = new GroupMember<>(
                    settings,
                    machines.get(),
                    new BytesCodec(),
                    scheduler,
                    () -> now[0],
                    () -> now[0] / 1_000_000,
                    random.split());
            final var journals = new FullDiskJournals(storage.journals);
            group.start(journals, storage.snapshots, network.streamer());
            nodes.add(new Node(member.id(), storage, journals, scheduler, group));
        }
    }

    /** One tick of time; the members but {@code paused} (or all, if {@code null}) get a few duty cycles each. */
    void step(Node paused) {
        now[0] += TICK_NANOS;
        for (int round = 0; round < 4; round++) {
            for (Node node : nodes) {
                if (node != paused) {
                    node.scheduler().runRound();
                }
            }
        }
    }

    void steps(int count) {
        for (int i = 0; i < count; i++) {
            step(null);
        }
    }

    /** Steps until a member but {@code paused} leads and the others but {@code paused} follow it. */
    Node awaitLeader(Node paused) {
        for (int i = 0; i < 1_000; i++) {
            step(paused);
            for (Node node : nodes) {
                if (node != paused && node.group().role() == GroupRole.LEADER) {
                    final boolean followed = nodes.stream()
                            .filter(n -> n != paused)
                            .allMatch(n ->
                                    n.group().leaderId().map(node.id()::equals).orElse(false));
                    if (followed) {
                        return node;
                    }
                }
            }
        }
        throw new AssertionError("no leader: " + describe());
    }

    /** Stops {@code node} and starts it again on the storage it had, as a process restart would. */
    void restart(Node node) throws IOException {
        node.group().stop();
        node.group().start(node.journals(), node.storage().snapshots, network.streamer());
    }

    /** A member other than {@code node}. */
    Node other(Node node) {
        return nodes.stream().filter(n -> n != node).findFirst().orElseThrow();
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
            node.scheduler().close();
            node.storage().close();
        }
    }
}
