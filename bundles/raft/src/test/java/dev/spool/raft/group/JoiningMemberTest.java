package dev.spool.raft.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.group.Durability;
import dev.spool.api.group.GroupRole;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member that joins a running group (configured to join, etcd's {@code --initial-cluster-state=existing}): it
 * writes no first entry of its own, stays out of elections, takes the log from the leader once a membership change
 * added it, and votes once it is made voting.
 */
@Timeout(120)
class JoiningMemberTest {

    @TempDir
    Path directory;

    private LocalCluster cluster;
    private LocalStorage joinerStorage;
    private GroupMember<byte[]> joiner;
    private ChecksumMachine joinerMachine;

    @BeforeEach
    void setUp() throws Exception {
        cluster = new LocalCluster(directory, "join", LocalStorage.SMALL_SEGMENTS, 3, Durability.NONE);
        cluster.startAll();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (joiner != null) {
            joiner.stop();
        }
        cluster.close();
        if (joinerStorage != null) {
            joinerStorage.close();
        }
    }

    private GroupSettings joinerSettings(Membership running) {
        return new GroupSettings(
                        "g",
                        "m4",
                        Membership.of(Member.voter("m4", "")),
                        Durability.NONE,
                        1_000_000,
                        20,
                        2,
                        1024,
                        1_000_000,
                        5_000)
                .withJoin(running, true);
    }

    private void startJoiner(Membership running) throws Exception {
        joinerStorage = new LocalStorage(directory.resolve("m4"), LocalStorage.SMALL_SEGMENTS);
        joinerMachine = new ChecksumMachine();
        joiner = new GroupMember<>(
                joinerSettings(running), joinerMachine, new BytesCodec(), cluster.runner, System::nanoTime);
        joiner.start(joinerStorage.journals, joinerStorage.snapshots, cluster.network.streamer());
    }

    private static void propose(LocalCluster.Node leader, int count, Outcomes outcomes) {
        for (int i = 0; i < count; i++) {
            leader.group().propose(new byte[] {(byte) i, 1, 2}, 10, TimeUnit.SECONDS, outcomes);
        }
    }

    @Test
    @DisplayName("recovery of a joining member with an empty log writes no bootstrap entry; its membership is the"
            + " running group's, without itself")
    void joiningRecoveryWritesNothing() throws Exception {
        final Membership running = Membership.of(Member.voter("m1", "h:1"), Member.voter("m2", "h:2"));
        final GroupSettings settings = joinerSettings(running);
        try (LocalStorage storage = new LocalStorage(directory.resolve("alone"), LocalStorage.SMALL_SEGMENTS);
                Recovery recovery = Recovery.recover(
                        settings,
                        storage.journals,
                        storage.snapshots,
                        new ChecksumMachine(),
                        new SessionTable("g", settings.sessionIdleTimeout(), settings.maxSessions()),
                        null)) {
            assertEquals(0, recovery.journal().lastIndex(), "a joining member writes no entry of its own");
            assertEquals(running, recovery.initialState().membership());
            recovery.journal().close();
            recovery.terms().close();
        }
    }

    @Test
    @DisplayName("a fourth member joins a running group: it stays out of elections until added, catches up as a"
            + " learner with the leader's entry 1, and once voting a commit needs it")
    void fourthMemberJoins() throws Exception {
        final LocalCluster.Node leader = cluster.awaitLeader();
        final var before = new Outcomes();
        propose(leader, 20, before);
        Await.until("the first entries apply", () -> before.applied.get() == 20, cluster::describe);

        startJoiner(leader.group().membership());
        // Not yet a member: the leader sends it nothing; it neither campaigns nor claims a leader.
        final long quiet = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        Await.until("several election timeouts pass", () -> System.nanoTime() - quiet > 0, joiner::toString);
        assertEquals(0, joiner.counters().elections(), "a joining member does not campaign");
        assertEquals(GroupRole.FOLLOWER, joiner.role());
        assertEquals(0, joiner.appliedIndex());

        leader.group()
                .changeMembership(leader.group().membership().with(Member.learner("m4", "")))
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        final long caughtUp = leader.group().commitIndex();
        Await.until("the joiner applies the log", () -> joiner.appliedIndex() >= caughtUp, joiner::toString);
        assertEquals(leader.machine().checksum(), joinerMachine.checksum(), "the joiner has the leader's state");
        assertEquals(leader.group().membership(), joiner.membership());

        leader.group()
                .changeMembership(leader.group().membership().with(Member.voter("m4", "")))
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        // Four voters, quorum three: with one of the original followers cut off, the leader commits only with m4.
        cluster.nodes.stream()
                .filter(node -> node != leader)
                .limit(1)
                .forEach(node -> cluster.network.isolate(node.id()));
        final var after = new Outcomes();
        propose(leader, 1, after);
        Await.until("a commit counts the joiner", () -> after.applied.get() == 1, () -> cluster.describe() + joiner);
    }

    /** Commits an entry of the leader's term, then adds a learner m4 with an address only the log gives. */
    private Member addLearnerM4(LocalCluster.Node leader) throws Exception {
        final var outcomes = new Outcomes();
        propose(leader, 1, outcomes);
        Await.until("an entry of the term commits", () -> outcomes.applied.get() == 1, cluster::describe);
        final Member added = Member.learner("m4", "10.0.0.4:7800");
        leader.group()
                .changeMembership(leader.group().membership().with(added))
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        return added;
    }

    @Test
    @DisplayName("every member's link hears whom the log names, with addresses: a member added through the log, and"
            + " the member removed once its removal committed")
    void linksHearTheMembership() throws Exception {
        final LocalCluster.Node leader = cluster.awaitLeader();
        Await.until(
                "every link hears the bootstrap membership",
                () -> cluster.nodes.stream()
                        .allMatch(node -> cluster.network
                                        .announced
                                        .getOrDefault(node.id(), java.util.List.of())
                                        .size()
                                == 3),
                cluster.network.announced::toString);
        final Member added = addLearnerM4(leader);
        Await.until(
                "every link hears m4 and its address",
                () -> cluster.nodes.stream()
                        .allMatch(
                                node -> cluster.network.announced.get(node.id()).contains(added)),
                cluster.network.announced::toString);

        leader.group()
                .changeMembership(leader.group().membership().without("m4"))
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        Await.until(
                "every link hears m4 is gone once its removal committed",
                () -> cluster.nodes.stream()
                        .allMatch(
                                node -> cluster.network.announced.get(node.id()).size() == 3),
                cluster.network.announced::toString);
    }

    @Test
    @DisplayName("a restarted member's link goes on hearing a member only its log names (not its configured members),"
            + " from its start on, while it catches up")
    void restartedMemberKeepsTheMembersItsLogNames() throws Exception {
        final LocalCluster.Node leader = cluster.awaitLeader();
        final Member added = addLearnerM4(leader);
        final LocalCluster.Node follower = cluster.nodes.stream()
                .filter(node -> node != leader)
                .findFirst()
                .orElseThrow();
        Await.until(
                "the follower has the change",
                () -> follower.group().membership().contains("m4"),
                cluster::describe);
        follower.group().stop();
        final var more = new Outcomes();
        propose(leader, 200, more);
        Await.until("the others commit without it", () -> more.settled() == 200, cluster::describe);
        cluster.network.announcements.remove(follower.id());
        follower.group().start(follower.storage().journals, follower.storage().snapshots, cluster.network.streamer());
        Await.until(
                "the restarted follower catches up",
                () -> follower.group().appliedIndex() >= leader.group().commitIndex(),
                cluster::describe);
        final var heard = cluster.network.announcements.get(follower.id());
        assertTrue(heard != null && !heard.isEmpty(), "the restarted link heard the members");
        for (java.util.List<Member> members : heard) {
            assertTrue(members.contains(added), "every announcement since the restart names m4: " + heard);
        }
    }
}
