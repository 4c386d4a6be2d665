package dev.spool.raft.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.group.GroupRole;
import dev.spool.api.group.OutcomeUnknownException;
import dev.spool.api.group.RaftGroupException;
import dev.spool.raft.group.SteppedCluster.Node;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader whose journal runs out of space cannot replicate what it cannot write (it sends entries from its journal),
 * so the group would commit nothing while it leads. After an election timeout of being full it steps down, and it
 * does not campaign while full, so the other two elect one of them and go on committing; once it has room again it
 * catches up as a follower. Members stepped by hand ({@link SteppedCluster}): deterministic.
 */
@Timeout(60)
class FullDiskLeaderTest {

    @TempDir
    Path directory;

    private SteppedCluster cluster;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @DisplayName("a leader out of space steps down, does not campaign while full, the others commit, and it catches up"
            + " once it has room")
    void fullLeaderStepsDown() throws Exception {
        cluster = new SteppedCluster(directory, 64, LocalStorage.SMALL_SEGMENTS, settings -> settings);
        final Node full = cluster.awaitLeader(null);
        full.journals().full = true;
        final var stranded = new Outcomes();
        for (int i = 0; i < 5; i++) {
            full.group()
                    .propose(new byte[] {(byte) i}, 1_000 * SteppedCluster.TICK_NANOS, TimeUnit.NANOSECONDS, stranded);
        }
        cluster.steps(100); // ten election timeouts
        assertNotEquals(
                GroupRole.LEADER, full.group().role(), "a leader out of space steps down: " + cluster.describe());
        assertEquals(5, stranded.settled(), "its unwritten proposals ended: " + cluster.describe());
        for (RaftGroupException failure : stranded.failures) {
            assertTrue(failure instanceof OutcomeUnknownException, failure.toString());
        }

        final Node next = cluster.awaitLeader(null);
        assertNotEquals(full, next, "the member out of space does not lead again: " + cluster.describe());
        final var committed = new Outcomes();
        for (int i = 0; i < 10; i++) {
            next.group()
                    .propose(
                            new byte[] {(byte) i, 1}, 100 * SteppedCluster.TICK_NANOS, TimeUnit.NANOSECONDS, committed);
        }
        final long term = next.group().term();
        for (int i = 0; i < 200 && committed.settled() < 10; i++) {
            cluster.step(null);
        }
        assertEquals(
                10, committed.applied.get(), "the other two commit: " + committed.failures + "; " + cluster.describe());
        cluster.steps(200);
        assertEquals(
                term,
                next.group().term(),
                "the member out of space does not campaign while full: " + cluster.describe());
        assertEquals(GroupRole.LEADER, next.group().role(), cluster.describe());

        full.journals().full = false;
        for (int i = 0; i < 2_000 && full.group().appliedIndex() < next.group().commitIndex(); i++) {
            cluster.step(null);
        }
        assertEquals(
                next.group().commitIndex(),
                full.group().appliedIndex(),
                "it caught up once it had room: " + cluster.describe());
        assertEquals(GroupRole.FOLLOWER, full.group().role(), cluster.describe());
    }
}
