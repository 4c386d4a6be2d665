package dev.spool.raft.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.group.GroupRole;
import dev.spool.api.group.OutcomeUnknownException;
import dev.spool.api.group.RaftGroupException;
import dev.spool.raft.group.SteppedCluster.Node;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every proposal, forwarded proposal and read barrier ends — applied, or failed with a {@code RaftGroupException} —
 * by its deadline, whatever the network loses: a leader paused (as by SIGSTOP) with entries no follower has and
 * resumed after the others elected a new leader, a leader cut off with its slots full, a follower that hears the
 * leader's answer but not the entry. Each member runs on its own scheduler ({@link SteppedCluster}), so pausing a
 * member is not running its scheduler while the clock moves on.
 */
@org.junit.jupiter.api.Timeout(60)
class EveryRequestEndsTest {

    private static final long TICK_NANOS = SteppedCluster.TICK_NANOS;
    /** The fewest slots a group may have: half of them are reserved, so eight proposals fill the ring. */
    private static final int SLOTS = 16;

    @TempDir
    Path directory;

    private SteppedCluster cluster;
    private InProcessNetwork network;
    private List<Node> nodes;

    private void start() throws Exception {
        start(false);
    }

    private void start(boolean forward) throws Exception {
        cluster = new SteppedCluster(
                directory, SLOTS, LocalStorage.SMALL_SEGMENTS, settings -> settings.withForwardToLeader(forward));
        network = cluster.network;
        nodes = cluster.nodes;
    }

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void step(Node paused) {
        cluster.step(paused);
    }

    private Node awaitLeader(Node paused) {
        return cluster.awaitLeader(paused);
    }

    private String describe() {
        return cluster.describe();
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
        assertEquals(
                next.group().commitIndex(), old.group().appliedIndex(), "the deposed leader caught up: " + describe());
        assertEquals(SLOTS, outcomes.settled(), "every proposal of the deposed leader ended: " + describe());
    }

    @Test
    @DisplayName("proposals waiting in the intake of a member whose slots stay full fail by their deadline")
    void intakeWaitEndsAtTheDeadline() throws Exception {
        start();
        final Node leader = awaitLeader(null);
        network.isolate(leader.id());
        final var outcomes = new Outcomes();
        for (int i = 0; i < SLOTS; i++) {
            leader.group().propose(new byte[] {(byte) i}, 5 * TICK_NANOS, TimeUnit.NANOSECONDS, outcomes);
        }
        for (int i = 0; i < 50; i++) {
            step(null);
        }
        assertEquals(SLOTS, outcomes.settled(), "every proposal ended though the member stays cut off: " + describe());
    }

    @Test
    @DisplayName("a forwarded proposal the leader committed fails by its deadline on a follower that never receives"
            + " the entry")
    void forwardedAnswerAwaitingApplyEndsAtTheDeadline() throws Exception {
        start(true);
        final Node leader = awaitLeader(null);
        final Node follower =
                nodes.stream().filter(node -> node != leader).findFirst().orElseThrow();
        network.loseTo(follower.id(), dev.spool.api.spi.raft.AppendEntries.class);
        final var outcomes = new Outcomes();
        follower.group().propose(new byte[] {1}, 20 * TICK_NANOS, TimeUnit.NANOSECONDS, outcomes);
        for (int i = 0; i < 10 && leader.group().appliedIndex() < 2; i++) {
            step(null);
        }
        assertEquals(2, leader.group().appliedIndex(), "the leader committed the forwarded entry: " + describe());
        for (int i = 0; i < 50; i++) {
            step(null);
        }
        assertEquals(1, outcomes.settled(), "the forwarded proposal ended: " + describe());
        assertTrue(outcomes.failures.peek() instanceof OutcomeUnknownException, outcomes.failures.toString());
    }
}
