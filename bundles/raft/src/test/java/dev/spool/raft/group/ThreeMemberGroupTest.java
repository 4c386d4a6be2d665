package dev.spool.raft.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.group.ClientSession;
import dev.spool.api.group.Durability;
import dev.spool.api.group.NotLeaderException;
import dev.spool.api.group.OutcomeUnknownException;
import dev.spool.api.group.RaftGroupException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Three members in one JVM over the real journal, replicating through the in-process network. */
@Timeout(120)
class ThreeMemberGroupTest {

    @TempDir
    Path directory;

    private LocalCluster cluster;

    @BeforeEach
    void setUp() throws Exception {
        cluster = new LocalCluster(directory, "three", LocalStorage.SMALL_SEGMENTS, 3, Durability.NONE);
        cluster.startAll();
    }

    @AfterEach
    void tearDown() throws Exception {
        cluster.close();
    }

    private static void proposeAll(LocalCluster.Node leader, int count, Outcomes outcomes) {
        for (int i = 0; i < count; i++) {
            leader.group().propose(new byte[] {(byte) i, 3}, 10, TimeUnit.SECONDS, outcomes);
        }
    }

    private void assertSameState() {
        final LocalCluster.Node first = cluster.nodes.get(0);
        for (LocalCluster.Node node : cluster.nodes) {
            assertEquals(first.machine().count(), node.machine().count(), node.id() + " applied as many");
            assertEquals(first.machine().checksum(), node.machine().checksum(), node.id() + " applied the same");
        }
    }

    @Test
    @DisplayName("entries proposed on the leader replicate raw and apply on every member in the same order")
    void replicates() {
        final LocalCluster.Node leader = cluster.awaitLeader();
        final var outcomes = new Outcomes();
        proposeAll(leader, 3_000, outcomes);
        Await.until("all proposals apply", () -> outcomes.settled() == 3_000, cluster::describe);
        assertTrue(outcomes.failures.isEmpty(), outcomes.failures::toString);
        cluster.awaitApplied(outcomes.lastIndex.get());
        assertSameState();
        assertEquals(3_000, leader.machine().count());
    }

    @Test
    @DisplayName("a member whose journal restarts suspect (a NONE journal after a machine restart) catches up with the"
            + " leader, then clears the journal's persisted suspect flag")
    void suspectMemberClearsItsJournalFlagOnceCaughtUp() throws Exception {
        final LocalCluster.Node leader = cluster.awaitLeader();
        final var before = new Outcomes();
        proposeAll(leader, 200, before);
        Await.until("the first entries apply", () -> before.applied.get() == 200, cluster::describe);

        final LocalCluster.Node restarted = cluster.nodes.stream()
                .filter(node -> node != leader)
                .findFirst()
                .orElseThrow();
        restarted.group().stop();
        final var suspect = new SuspectJournals(restarted.storage().journals);
        restarted.group().start(suspect, restarted.storage().snapshots, cluster.network.streamer());

        final var after = new Outcomes();
        proposeAll(leader, 200, after);
        Await.until("later entries apply", () -> after.applied.get() == 200, cluster::describe);
        cluster.awaitApplied(after.lastIndex.get());
        Await.until("the caught-up member clears its suspect flag", suspect::cleared, cluster::describe);
        assertSameState();
    }

    @Test
    @DisplayName("a deposed leader's uncommitted entries are truncated by the new leader and never applied; their"
            + " proposers hear the outcome is unknown")
    void followerConflictTruncation() {
        final LocalCluster.Node old = cluster.awaitLeader();
        final var committed = new Outcomes();
        proposeAll(old, 100, committed);
        Await.until("the first entries apply", () -> committed.applied.get() == 100, cluster::describe);
        cluster.awaitApplied(committed.lastIndex.get());

        cluster.network.isolate(old.id());
        final var orphaned = new Outcomes();
        proposeAll(old, 50, orphaned); // accepted by the isolated leader, never committed
        Await.until(
                "a new leader among the others",
                () -> cluster.nodes.stream()
                        .anyMatch(node -> node != old && node.group().role() == dev.spool.api.group.GroupRole.LEADER),
                cluster::describe);
        final LocalCluster.Node next = cluster.nodes.stream()
                .filter(node -> node != old && node.group().role() == dev.spool.api.group.GroupRole.LEADER)
                .findFirst()
                .orElseThrow();
        final var later = new Outcomes();
        proposeAll(next, 200, later);
        Await.until("the new leader's entries apply", () -> later.applied.get() == 200, cluster::describe);
        Await.until("the old leader steps down", () -> orphaned.settled() == 50, cluster::describe);

        cluster.network.heal();
        Await.until(
                "everyone follows one leader and applies",
                () -> {
                    final long target = later.lastIndex.get();
                    return cluster.nodes.stream().allMatch(node -> node.group().appliedIndex() >= target);
                },
                cluster::describe);
        assertEquals(0, orphaned.applied.get(), "no orphaned entry applied");
        for (RaftGroupException failure : orphaned.failures) {
            assertTrue(
                    failure instanceof OutcomeUnknownException || failure instanceof NotLeaderException,
                    failure.toString());
        }
        assertSameState();
        assertEquals(300, old.machine().count(), "the deposed leader applied only committed entries");
    }

    @Test
    @DisplayName("a session's proposal retried on a new leader after a leadership transfer applies once")
    void sessionDeduplicationAcrossLeaderChange() throws Exception {
        final LocalCluster.Node leader = cluster.awaitLeader();
        final ClientSession session = leader.group().openSession();
        final long sequence = session.nextSequence();
        final var first = new Outcomes();
        leader.group().propose(session, sequence, new byte[] {42}, 1, TimeUnit.SECONDS, first);
        Await.until("the proposal applies", () -> first.applied.get() == 1, cluster::describe);
        cluster.awaitApplied(first.lastIndex.get());

        final String target = cluster.nodes.stream()
                .filter(node -> node != leader)
                .findFirst()
                .orElseThrow()
                .id();
        leader.group().transferLeadership(target).toCompletableFuture().get(30, TimeUnit.SECONDS);
        final LocalCluster.Node next = cluster.awaitLeader();
        assertEquals(target, next.id());

        final var retried = new Outcomes();
        next.group().propose(session, sequence, new byte[] {42}, 1, TimeUnit.SECONDS, retried);
        final var fresh = new Outcomes();
        next.group().propose(session, session.nextSequence(), new byte[] {43}, 1, TimeUnit.SECONDS, fresh);
        Await.until("both settle", () -> retried.applied.get() == 1 && fresh.applied.get() == 1, cluster::describe);
        cluster.awaitApplied(fresh.lastIndex.get());
        for (LocalCluster.Node node : cluster.nodes) {
            assertEquals(2, node.machine().count(), node.id() + " applied the retried proposal once");
        }
        assertSameState();
    }

    @Test
    @DisplayName("a membership change commits through the leader, and role listeners hear the roles")
    void membershipChangeAndRoleListeners() throws Exception {
        final LocalCluster.Node leader = cluster.awaitLeader();
        final var heard = new java.util.concurrent.ConcurrentLinkedQueue<String>();
        for (LocalCluster.Node node : cluster.nodes) {
            node.group().addRoleListener((group, role, term, leaderId) -> heard.add(node.id() + ":" + role));
        }
        Await.until("every listener hears the current role", () -> heard.size() >= 3, heard::toString);
        assertTrue(heard.contains(leader.id() + ":LEADER"), heard.toString());

        final var outcomes = new Outcomes();
        proposeAll(leader, 10, outcomes); // the leader must have committed an entry of its term first
        Await.until("the first entries apply", () -> outcomes.applied.get() == 10, cluster::describe);
        final String removed = cluster.nodes.stream()
                .filter(node -> node != leader)
                .findFirst()
                .orElseThrow()
                .id();
        final long index = leader.group()
                .changeMembership(leader.group().membership().without(removed))
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        assertTrue(index > outcomes.lastIndex.get(), "the change is an entry after the proposals: " + index);
        assertTrue(
                !leader.group().membership().contains(removed),
                leader.group().membership().toString());

        cluster.network.isolate(removed); // two voters remain: the leader and one follower still commit
        final var after = new Outcomes();
        proposeAll(leader, 10, after);
        Await.until("entries commit without the removed member", () -> after.applied.get() == 10, cluster::describe);
    }

    @Test
    @DisplayName("a follower behind the leader's compacted journal receives the snapshot in chunks, installs it and"
            + " catches up to the same state")
    void laggingFollowerInstallsTheLeadersSnapshot() throws Exception {
        try (LocalCluster compacting = new LocalCluster(
                directory.resolve("compacting"),
                "install",
                LocalStorage.SMALL_SEGMENTS,
                3,
                Durability.NONE,
                new InProcessNetwork(),
                ChecksumMachine::new,
                new BytesCodec(),
                1_000_000,
                500,
                50)) {
            compacting.startAll();
            final LocalCluster.Node leader = compacting.awaitLeader();
            final LocalCluster.Node lagging = compacting.nodes.stream()
                    .filter(node -> node != leader)
                    .findFirst()
                    .orElseThrow();
            compacting.network.isolate(lagging.id());
            final var outcomes = new Outcomes();
            proposeAll(leader, 8_000, outcomes);
            Await.until(
                    "the others apply and the leader compacts",
                    () -> outcomes.applied.get() == 8_000
                            && leader.group().firstLogIndex() > lagging.group().appliedIndex() + 1,
                    compacting::describe);

            compacting.network.heal();
            compacting.awaitApplied(outcomes.lastIndex.get());
            assertTrue(lagging.storage().snapshots.latest("g").isPresent(), "the follower stored a snapshot");
            for (LocalCluster.Node node : compacting.nodes) {
                assertEquals(leader.machine().count(), node.machine().count(), node.id() + " applied as many");
                assertEquals(leader.machine().checksum(), node.machine().checksum(), node.id() + " has the state");
            }
        }
    }

    @Test
    @DisplayName("a follower behind the compacted journals of members that restarted since still receives the latest"
            + " stored snapshot from whichever of them leads, in an idle group")
    void laggingFollowerInstallsTheSnapshotOfARestartedLeader() throws Exception {
        try (LocalCluster compacting = new LocalCluster(
                directory.resolve("restarted"),
                "restarted",
                LocalStorage.SMALL_SEGMENTS,
                3,
                Durability.NONE,
                new InProcessNetwork(),
                ChecksumMachine::new,
                new BytesCodec(),
                1_000_000,
                2_000,
                50)) {
            compacting.startAll();
            final LocalCluster.Node leader = compacting.awaitLeader();
            final LocalCluster.Node lagging = compacting.nodes.stream()
                    .filter(node -> node != leader)
                    .findFirst()
                    .orElseThrow();
            compacting.network.isolate(lagging.id());
            // One snapshot, at 2,000: after the restart the journals start far below it (whole segments are
            // deleted), yet not so far that the restarted members take a new snapshot at once.
            final var outcomes = new Outcomes();
            proposeAll(leader, 3_000, outcomes);
            Await.until(
                    "the others apply and compact",
                    () -> outcomes.applied.get() == 3_000
                            && compacting.nodes.stream()
                                    .filter(node -> node != lagging)
                                    .allMatch(node -> node.group().firstLogIndex()
                                            > lagging.group().appliedIndex() + 1),
                    compacting::describe);

            for (LocalCluster.Node node : compacting.nodes) {
                if (node != lagging) {
                    node.group().stop();
                    node.group()
                            .start(node.storage().journals, node.storage().snapshots, compacting.network.streamer());
                }
            }
            compacting.network.heal();
            compacting.awaitApplied(outcomes.lastIndex.get());
            for (LocalCluster.Node node : compacting.nodes) {
                assertEquals(leader.machine().count(), node.machine().count(), node.id() + " applied as many");
                assertEquals(leader.machine().checksum(), node.machine().checksum(), node.id() + " has the state");
            }
        }
    }
}
