package dev.spool.raft.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.group.GroupRole;
import dev.spool.api.group.ProposalCallback;
import dev.spool.api.group.RaftGroupException;
import dev.spool.api.group.ReadCallback;
import dev.spool.api.group.RoleListener;
import dev.spool.raft.group.SteppedCluster.Node;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application callback that throws on a group thread is the application's defect, not the group's: the group
 * logs it and goes on committing, applying and answering, whichever thread and path called the callback (apply,
 * core, a forwarded proposal's answer, a read barrier, a role change, proposals a deposed leader drops).
 */
@Timeout(60)
class ThrowingCallbacksTest {

    @TempDir
    Path directory;

    private SteppedCluster cluster;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Counts every call, then throws. */
    private static final class Throwing implements ProposalCallback, ReadCallback, RoleListener {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public void applied(long index, Object result) {
            calls.incrementAndGet();
            throw new IllegalStateException("the application's callback fails on applied " + index);
        }

        @Override
        public void failed(RaftGroupException error) {
            calls.incrementAndGet();
            throw new IllegalStateException("the application's callback fails on " + error);
        }

        @Override
        public void readable(long readIndex) {
            calls.incrementAndGet();
            throw new IllegalStateException("the application's callback fails on readable " + readIndex);
        }

        @Override
        public void roleChanged(String group, GroupRole role, long term, String leader) {
            calls.incrementAndGet();
            throw new IllegalStateException("the application's listener fails on " + role);
        }
    }

    private void start(boolean forward) throws Exception {
        cluster = new SteppedCluster(
                directory, 64, LocalStorage.SMALL_SEGMENTS, settings -> settings.withForwardToLeader(forward));
    }

    /** The group still commits a proposal made on {@code on} and every member stays available. */
    private void assertServes(Node on) {
        final var outcomes = new Outcomes();
        on.group().propose(new byte[] {42}, 100 * SteppedCluster.TICK_NANOS, TimeUnit.NANOSECONDS, outcomes);
        for (int i = 0; i < 100 && outcomes.settled() == 0; i++) {
            cluster.step(null);
        }
        assertEquals(
                1,
                outcomes.applied.get(),
                "the group goes on committing: " + outcomes.failures + "; " + cluster.describe());
        for (Node node : cluster.nodes) {
            assertNotEquals(GroupRole.UNAVAILABLE, node.group().role(), cluster.describe());
        }
    }

    private void stepUntil(Throwing callback, int calls) {
        for (int i = 0; i < 100 && callback.calls.get() < calls; i++) {
            cluster.step(null);
        }
        assertEquals(calls, callback.calls.get(), "the callback was called: " + cluster.describe());
    }

    @Test
    @DisplayName("a proposal callback that throws on the apply thread")
    void appliedThrows() throws Exception {
        start(false);
        final Node leader = cluster.awaitLeader(null);
        final var throwing = new Throwing();
        for (int i = 0; i < 3; i++) {
            leader.group()
                    .propose(new byte[] {(byte) i}, 100 * SteppedCluster.TICK_NANOS, TimeUnit.NANOSECONDS, throwing);
        }
        stepUntil(throwing, 3);
        assertServes(leader);
    }

    @Test
    @DisplayName("a forwarded proposal's callback that throws on the follower's core thread")
    void forwardedAppliedThrows() throws Exception {
        start(true);
        final Node leader = cluster.awaitLeader(null);
        final Node follower = cluster.other(leader);
        final var throwing = new Throwing();
        follower.group().propose(new byte[] {1}, 100 * SteppedCluster.TICK_NANOS, TimeUnit.NANOSECONDS, throwing);
        stepUntil(throwing, 1);
        assertServes(follower);
    }

    @Test
    @DisplayName("a read barrier's callback that throws on the core thread")
    void readableThrows() throws Exception {
        start(false);
        final Node leader = cluster.awaitLeader(null);
        assertServes(leader); // a read waits for the term's no-op
        final var throwing = new Throwing();
        leader.group().readBarrier(100 * SteppedCluster.TICK_NANOS, TimeUnit.NANOSECONDS, throwing);
        stepUntil(throwing, 1);
        assertServes(leader);
    }

    @Test
    @DisplayName("a role listener that throws on every role change of every member")
    void roleListenerThrows() throws Exception {
        start(false);
        final var throwing = new Throwing();
        for (Node node : cluster.nodes) {
            node.group().addRoleListener(throwing);
        }
        final Node leader = cluster.awaitLeader(null);
        assertTrue(throwing.calls.get() >= 3, "the listener heard of the roles: " + throwing.calls);
        // a new election: every member changes role again
        cluster.network.isolate(leader.id());
        final Node next = cluster.awaitLeader(leader);
        cluster.network.heal();
        cluster.steps(50);
        assertServes(next);
    }

    @Test
    @DisplayName("a callback that throws on the failures of the proposals a deposed leader drops")
    void failedThrowsOnDeposedLeader() throws Exception {
        start(false);
        final Node old = cluster.awaitLeader(null);
        cluster.network.isolate(old.id());
        final var throwing = new Throwing();
        for (int i = 0; i < 5; i++) {
            old.group().propose(new byte[] {(byte) i}, 0, TimeUnit.NANOSECONDS, throwing);
        }
        cluster.step(null);
        final Node next = cluster.awaitLeader(old);
        cluster.network.heal();
        stepUntil(throwing, 5);
        cluster.steps(50);
        assertServes(next);
        assertEquals(GroupRole.FOLLOWER, old.group().role(), cluster.describe());
    }
}
