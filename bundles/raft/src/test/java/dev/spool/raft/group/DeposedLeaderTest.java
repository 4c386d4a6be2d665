package dev.spool.raft.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.group.GroupRole;
import dev.spool.api.group.OutcomeUnknownException;
import dev.spool.api.group.RaftGroupException;
import dev.spool.api.journal.Durability;
import dev.spool.raft.pipeline.DeterministicAgentScheduler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader paused (as by SIGSTOP) with entries no follower has, resumed after the others elected a new leader: it
 * learns the new term and truncates its unreplicated tail in one duty cycle. Each member runs on its own
 * {@link DeterministicAgentScheduler}, so pausing a member is not running its scheduler while the clock moves on.
 */
class DeposedLeaderTest {

    private static final long TICK_NANOS = 1_000_000;
    /** The fewest slots a group may have: half of them are reserved, so eight proposals fill the ring. */
    private static final int SLOTS = 16;

    @TempDir
    Path directory;

    private final long[] now = {0};
    private final InProcessNetwork network = new InProcessNetwork();
    private final List<Node> nodes = new ArrayList<>();

    private record Node(String id, LocalStorage storage, DeterministicAgentScheduler scheduler,
                        GroupMember<byte[]> group) {
    }

    private void start() throws Exception {
        final var random = new SplittableRandom(7);
        final var members = new ArrayList<Member>();
        for (int i = 1; i <= 3; i++) {
            members.add(Member.voter("m" + i, ""));
        }
        final var membership = new Membership(members);
        for (Member member : members) {
            final var settings = new GroupSettings("g", member.id(), membership, Durability.NONE, TICK_NANOS, 10, 1,
                SLOTS, 1_000_000, 1_000_000).withForwardToLeader(false);
            final var scheduler = new DeterministicAgentScheduler(random.nextLong());
            final var storage = new LocalStorage(directory.resolve(member.id()), LocalStorage.SMALL_SEGMENTS);
            final var group = new GroupMember<>(settings, new ChecksumMachine(), new BytesCodec(), scheduler,
                () -> now[0], random.split());
            group.start(storage.journals, storage.snapshots, network.streamer());
            nodes.add(new Node(member.id(), storage, scheduler, group));
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (Node node : nodes) {
            node.group().stop();
            node.scheduler().close();
            node.storage().close();
        }
    }

    /** One tick of time; the members not {@code paused} get a few duty cycles each. */
    private void step(Node paused) {
        now[0] += TICK_NANOS;
        for (int round = 0; round < 4; round++) {
            for (Node node : nodes) {
                if (node != paused) {
                    node.scheduler().runRound();
                }
            }
        }
    }

    private Node awaitLeader(Node paused) {
        for (int i = 0; i < 1_000; i++) {
            step(paused);
            for (Node node : nodes) {
                if (node != paused && node.group().role() == GroupRole.LEADER) {
                    final boolean followed = nodes.stream().filter(n -> n != paused)
                        .allMatch(n -> n.group().leaderId().map(node.id()::equals).orElse(false));
                    if (followed) {
                        return node;
                    }
                }
            }
        }
        throw new AssertionError("no leader: " + describe());
    }

    private String describe() {
        final var text = new StringBuilder();
        for (Node node : nodes) {
            text.append(node.group()).append("; ");
        }
        return text.toString();
    }

    /**
     * Makes the leader take {@code count} proposals no follower sees, pauses it while the others elect a new leader
     * and commit, then resumes it.
     *
     * @return the old leader and the new one
     */
    private Node[] deposeWithUnreplicated(int count, Outcomes outcomes) {
        final Node old = awaitLeader(null);
        network.isolate(old.id());
        for (int i = 0; i < count; i++) {
            old.group().propose(new byte[] {(byte) i}, 0, TimeUnit.NANOSECONDS, outcomes);
        }
        step(null); // the leader accepts them and writes them to its journal; nobody hears of them
        network.heal();
        final Node next = awaitLeader(old);
        final var committed = new Outcomes();
        next.group().propose(new byte[] {42}, 0, TimeUnit.NANOSECONDS, committed);
        for (int i = 0; i < 50 && committed.settled() == 0; i++) {
            step(old);
        }
        assertEquals(1, committed.applied.get(), "the new leader commits without the paused one: " + describe());
        return new Node[] {old, next};
    }

    @Test
    @DisplayName("a leader deposed and truncated in one duty cycle fails every proposal the truncation drops")
    void truncationEndsTheDroppedProposals() throws Exception {
        start();
        final var outcomes = new Outcomes();
        final Node[] leaders = deposeWithUnreplicated(5, outcomes);
        for (int i = 0; i < 20; i++) {
            step(null);
        }
        assertEquals(GroupRole.FOLLOWER, leaders[0].group().role(), describe());
        assertEquals(5, outcomes.settled(), "every proposal of the deposed leader ended: " + describe());
        for (RaftGroupException failure : outcomes.failures) {
            assertTrue(failure instanceof OutcomeUnknownException, failure.toString());
        }
    }

    @Test
    @DisplayName("a deposed leader whose slots are full of entries of its term takes the new leader's conflicting"
        + " entries, catches up, and serves its intake again")
    void fullRingOfStaleEntriesIsTruncated() throws Exception {
        start();
        final var outcomes = new Outcomes();
        final Node[] leaders = deposeWithUnreplicated(SLOTS, outcomes);
        for (int i = 0; i < 100; i++) {
            step(null);
        }
        final Node old = leaders[0];
        final Node next = leaders[1];
        assertNotNull(next);
        assertEquals(next.group().commitIndex(), old.group().appliedIndex(), "the deposed leader caught up: "
            + describe());
        assertEquals(SLOTS, outcomes.settled(), "every proposal of the deposed leader ended: " + describe());
    }
}
