package dev.spool.raft.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.group.BusyException;
import dev.spool.api.group.Durability;
import dev.spool.api.group.GroupRole;
import dev.spool.raft.pipeline.AgentRunner;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The counters a group publishes for operators: proposals, busy refusals, elections and leader changes. */
@Timeout(120)
class GroupCountersTest {

    @TempDir
    Path directory;

    @Test
    @DisplayName("a single member counts its proposals, its one election and one leader; busy refusals one each;"
            + " the counts last over a restart")
    void singleMemberCounts() throws Exception {
        final AgentRunner runner = AgentRunner.start("raft", 3, 1_000_000, (agent, error) -> error.printStackTrace());
        try (LocalStorage storage = new LocalStorage(directory, LocalStorage.SMALL_SEGMENTS)) {
            final var machine = new ChecksumMachine();
            final var group = new GroupMember<>(
                    GroupSettings.singleMember("g", "m1", Durability.NONE)
                            .withTickNanos(1_000_000)
                            .withSlotCapacity(64),
                    machine,
                    new BytesCodec(),
                    runner,
                    System::nanoTime);
            assertEquals(new GroupCounters(0, 0, 0, 0), group.counters());
            group.start(storage.journals, storage.snapshots, null);
            Await.until("the member leads", () -> group.role() == GroupRole.LEADER, () -> "role " + group.role());
            final var outcomes = new Outcomes();
            for (int i = 0; i < 100; i++) {
                group.propose(new byte[] {(byte) i}, 10, TimeUnit.SECONDS, outcomes);
            }
            Await.until("the proposals apply", () -> outcomes.applied.get() == 100, () -> outcomes.failures.toString());
            Await.until(
                    "the counters are published",
                    () -> group.counters().proposals() == 100,
                    () -> group.counters().toString());
            assertEquals(new GroupCounters(100, 0, 1, 1), group.counters());

            machine.close(); // the apply agent blocks: slots fill, then the intake
            final var refused = new Outcomes();
            try {
                for (int i = 0; i < 1_000; i++) {
                    group.propose(new byte[] {1}, 0, TimeUnit.MILLISECONDS, refused);
                }
            } finally {
                machine.open();
            }
            Await.until("every proposal ends", () -> refused.settled() == 1_000, () -> refused.settled() + " ended");
            final long busy = refused.failures.stream()
                    .filter(BusyException.class::isInstance)
                    .count();
            assertTrue(busy > 0, "some proposals were refused busy");
            Await.until(
                    "the proposals are published",
                    () -> group.counters().proposals() == 100 + 1_000 - busy,
                    () -> group.counters().toString());
            assertEquals(busy, group.counters().busyRefusals());

            group.stop();
            group.start(storage.journals, storage.snapshots, null);
            Await.until("the member leads again", () -> group.role() == GroupRole.LEADER, () -> "role " + group.role());
            Await.until(
                    "the restart's election is counted",
                    () -> group.counters().elections() == 2,
                    () -> group.counters().toString());
            assertEquals(new GroupCounters(100 + 1_000 - busy, busy, 2, 2), group.counters());
            group.stop();
        } finally {
            runner.close();
        }
    }

    @Test
    @DisplayName("three members: a leadership transfer is one more leader change on each, an election on the target")
    void transferCountsALeaderChange() throws Exception {
        try (var cluster = new LocalCluster(directory, "three", LocalStorage.SMALL_SEGMENTS, 3, Durability.NONE)) {
            cluster.startAll();
            final LocalCluster.Node leader = cluster.awaitLeader();
            for (LocalCluster.Node node : cluster.nodes) {
                Await.until(
                        node.id() + " knows the leader",
                        () -> node.group().counters().leaderChanges() == 1,
                        () -> node.id() + " " + node.group().counters());
            }
            final long electionsBefore = cluster.nodes.stream()
                    .mapToLong(n -> n.group().counters().elections())
                    .sum();
            assertTrue(electionsBefore >= 1, "someone campaigned");
            final LocalCluster.Node target = cluster.nodes.stream()
                    .filter(node -> node != leader)
                    .findFirst()
                    .orElseThrow();
            final long targetElections = target.group().counters().elections();
            leader.group().transferLeadership(target.id()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            for (LocalCluster.Node node : cluster.nodes) {
                Await.until(
                        node.id() + " counts the new leader",
                        () -> node.group().counters().leaderChanges() == 2,
                        () -> node.id() + " " + node.group().counters());
            }
            assertEquals(targetElections + 1, target.group().counters().elections(), "the target campaigned once");
        }
    }
}
