package dev.spool.raft.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.group.Durability;
import dev.spool.api.group.GroupRole;
import dev.spool.api.spi.journal.Journal;
import dev.spool.api.spi.journal.JournalService;
import dev.spool.raft.pipeline.Agent;
import dev.spool.raft.pipeline.AgentHost;
import dev.spool.raft.pipeline.AgentRunner;
import dev.spool.raft.pipeline.WakeSignal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Received records that a follower's conflict truncation drops before its log task wrote them are released, like
 * every other received record: none stays pinned (with its flow-control credit) after the group moves on.
 */
@Timeout(120)
class TruncatedRecordsTest {

    @TempDir
    Path directory;

    private final InProcessNetwork network = new InProcessNetwork();
    private final List<Node> nodes = new ArrayList<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    /** One member, whose log agent runs on a thread of its own so that a held flush holds nothing else. */
    private record Node(String id, LocalStorage storage, GatedJournals journals, GroupMember<byte[]> group) {}

    @AfterEach
    void tearDown() throws Exception {
        for (Node node : nodes) {
            node.journals().open();
            node.group().stop();
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    @DisplayName("a follower holding a deposed leader's records it has not written yet truncates them for a new"
            + " leader's entries: every received record is released once the group stopped")
    void truncatedRecordsAreReleased() throws Exception {
        final var members = new ArrayList<Member>();
        for (int i = 1; i <= 5; i++) {
            members.add(Member.voter("m" + i, ""));
        }
        final var membership = new Membership(members);
        for (Member member : members) {
            final var storage = new LocalStorage(directory.resolve(member.id()), LocalStorage.SMALL_SEGMENTS);
            toClose.add(storage);
            final var journals = new GatedJournals(storage.journals);
            // 5 ms ticks: the deposed leader still leads when the proposals that reach only the follower are made.
            final var settings = new GroupSettings(
                    "g", member.id(), membership, Durability.NONE, 5_000_000, 20, 2, 1024, 1_000_000, 1_000);
            final var host = new SplitHost(member.id());
            toClose.add(host);
            final var group =
                    new GroupMember<>(settings, new ChecksumMachine(), new BytesCodec(), host, System::nanoTime);
            nodes.add(new Node(member.id(), storage, journals, group));
            group.start(journals, storage.snapshots, network.streamer());
        }
        final Node leader = awaitLeader(nodes);
        propose(leader, 10);
        awaitApplied(nodes, leader.group().commitIndex());

        final Node follower =
                nodes.stream().filter(node -> node != leader).findFirst().orElseThrow();
        final List<Node> others = nodes.stream()
                .filter(node -> node != leader && node != follower)
                .toList();
        follower.journals().hold();
        propose(leader, 1);
        Await.until("the follower's log agent waits in a flush", follower.journals()::holding, this::describe);
        network.partition(Set.of(leader.id(), follower.id()));
        propose(leader, 200); // reach the follower only, never committed, never written there
        // However few the deposed leader's window lets through: one unwritten slot is what a truncation must release.
        Await.until(
                "the follower holds records it has not written",
                () -> follower.journals().holding()
                        && follower.group().acceptedIndex() > follower.journals().flushedWhenHeld,
                this::describe);

        final Node newLeader = awaitLeader(others);
        propose(newLeader, 20);
        awaitApplied(others, newLeader.group().commitIndex());
        final long committed = newLeader.group().commitIndex();

        network.heal();
        Await.until(
                "the follower follows the new leader",
                () -> follower.group().leaderId().map(newLeader.id()::equals).orElse(false)
                        && follower.group().acceptedIndex() >= committed,
                this::describe);
        follower.journals().open();
        awaitApplied(nodes, committed);
        for (Node node : nodes) {
            node.group().stop();
        }
        assertEquals(0, network.unreleased.get(), "received records and bytes never released");
        assertTrue(follower.journals().held, "the follower's flush was held");
    }

    private void propose(Node node, int count) {
        final var outcomes = new Outcomes();
        for (int i = 0; i < count; i++) {
            node.group().propose(new byte[] {(byte) i, 1, 2, 3}, 10, TimeUnit.SECONDS, outcomes);
        }
    }

    private Node awaitLeader(List<Node> among) {
        final Node[] leader = new Node[1];
        Await.until(
                "one leader followed by " + among.size(),
                () -> {
                    leader[0] = among.stream()
                            .filter(node -> node.group().role() == GroupRole.LEADER)
                            .findFirst()
                            .orElse(null);
                    return leader[0] != null
                            && among.stream()
                                    .allMatch(node -> node.group()
                                            .leaderId()
                                            .map(leader[0].id()::equals)
                                            .orElse(false));
                },
                this::describe);
        return leader[0];
    }

    private void awaitApplied(List<Node> among, long index) {
        Await.until(
                "applied " + index,
                () -> among.stream().allMatch(node -> node.group().appliedIndex() >= index),
                this::describe);
    }

    private String describe() {
        final var text = new StringBuilder("unreleased ")
                .append(network.unreleased.get())
                .append("; ");
        nodes.forEach(node -> text.append(node.group())
                .append(" accepted ")
                .append(node.group().acceptedIndex())
                .append("; "));
        return text.toString();
    }

    /** Runs a member's log agent on a thread of its own and its other agents on another. */
    private static final class SplitHost implements AgentHost, AutoCloseable {

        private final AgentRunner main;
        private final AgentRunner log;

        SplitHost(String member) {
            main = AgentRunner.start(member, 1, 1_000_000, (agent, error) -> error.printStackTrace());
            log = AgentRunner.start(member + "-log", 1, 1_000_000, (agent, error) -> error.printStackTrace());
        }

        private AgentRunner runnerOf(Agent agent) {
            return agent instanceof LogAgent ? log : main;
        }

        @Override
        public WakeSignal add(Agent agent) {
            return runnerOf(agent).add(agent);
        }

        @Override
        public CompletableFuture<Void> remove(Agent agent) {
            return runnerOf(agent).remove(agent);
        }

        @Override
        public void close() {
            main.close();
            log.close();
        }
    }

    /**
     * A journal service whose journals' flushes can be held: once {@link #hold()} is called, the next flush waits
     * until {@link #open()}, so the log agent stops after a batch it wrote, and whatever is accepted meanwhile stays
     * unwritten in the slots.
     */
    private static final class GatedJournals extends DelegatingJournals {

        private volatile CountDownLatch gate;
        private volatile boolean waiting;
        volatile boolean held;
        volatile long flushedWhenHeld = Long.MAX_VALUE;

        GatedJournals(JournalService delegate) {
            super(delegate);
        }

        void hold() {
            gate = new CountDownLatch(1);
        }

        void open() {
            final CountDownLatch closed = gate;
            gate = null;
            if (closed != null) {
                closed.countDown();
            }
        }

        boolean holding() {
            return waiting;
        }

        @Override
        void beforeFlush(Journal journal) {
            final CountDownLatch closed = gate;
            if (closed == null) {
                return;
            }
            flushedWhenHeld = journal.lastIndex();
            held = true;
            waiting = true;
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                waiting = false;
            }
        }
    }
}
