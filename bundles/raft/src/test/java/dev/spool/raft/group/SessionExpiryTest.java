package dev.spool.raft.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.group.ClientSession;
import dev.spool.api.group.ProposalCallback;
import dev.spool.api.group.RaftGroupException;
import dev.spool.api.group.ResultUnknownException;
import dev.spool.api.group.SessionExpiredException;
import dev.spool.api.group.StateMachine;
import dev.spool.raft.group.SteppedCluster.Node;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client sessions end: they expire on the time the log carries, at the same entry on every member, the table stays
 * bounded, and a duplicate the group no longer has the result of fails clearly instead of reporting {@code null}.
 * Three members stepped by hand over one clock (one tick is one millisecond of the stamps).
 */
@Timeout(120)
class SessionExpiryTest {

    /** Counts the entries it applied; applying returns the count, never {@code null}. */
    static final class CountingMachine implements StateMachine<byte[]> {
        volatile long count;

        @Override
        public Object apply(long index, byte[] payload) {
            count = count + 1;
            return count;
        }

        @Override
        public void writeSnapshot(OutputStream out) throws IOException {
            final var data = new DataOutputStream(out);
            data.writeLong(count);
            data.flush();
        }

        @Override
        public void restore(InputStream in, int formatVersion) throws IOException {
            count = new DataInputStream(in).readLong();
        }

        @Override
        public void reset() {
            count = 0;
        }
    }

    @TempDir
    Path directory;

    private SteppedCluster cluster;
    private final java.util.List<CountingMachine> machines = new java.util.ArrayList<>();
    /** The index the last applied proposal was applied at. */
    private long lastIndex;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private Node start(Duration idle, int max) throws IOException {
        cluster = new SteppedCluster(
                directory,
                64,
                member -> LocalStorage.SMALL_SEGMENTS,
                settings -> settings.withSessions(idle, max),
                () -> {
                    final var machine = new CountingMachine();
                    machines.add(machine);
                    return machine;
                });
        return cluster.awaitLeader(null);
    }

    /** Proposes through {@code node} and steps until the outcome is known: the result, or the failure. */
    private Object propose(Node node, ClientSession session, long sequence) {
        final var outcome = new CompletableFuture<Object>();
        node.group()
                .propose(session, sequence, new byte[] {(byte) sequence}, 5, TimeUnit.SECONDS, new ProposalCallback() {
                    @Override
                    public void applied(long index, Object result) {
                        lastIndex = index;
                        outcome.complete(result == null ? "applied at " + index + " with a null result" : result);
                    }

                    @Override
                    public void failed(RaftGroupException error) {
                        outcome.complete(error);
                    }
                });
        for (int i = 0; i < 2_000 && !outcome.isDone(); i++) {
            cluster.step(null);
        }
        assertTrue(outcome.isDone(), () -> "no outcome: " + cluster.describe());
        return outcome.join();
    }

    private void awaitSnapshots() {
        for (Node node : cluster.nodes) {
            final var taken = node.group().snapshot().toCompletableFuture();
            for (int i = 0; i < 2_000 && !taken.isDone(); i++) {
                cluster.step(null);
            }
            assertTrue(taken.isDone() && !taken.isCompletedExceptionally(), () -> node.id() + ": " + taken);
        }
    }

    private long applied(Node node) {
        return machines.get(cluster.nodes.indexOf(node)).count;
    }

    @Test
    void anIdleSessionIsForgottenAtTheSameEntryOnEveryMember() throws IOException {
        final Node leader = start(Duration.ofMillis(100), 1_000);
        final ClientSession idle = leader.group().openSession();
        final ClientSession busy = leader.group().openSession();
        assertEquals(1L, propose(leader, idle, 1));
        assertEquals(2L, propose(leader, busy, 1));
        cluster.steps(30);
        assertEquals(3L, propose(leader, busy, 2)); // some 30 ms idle: both remembered
        cluster.steps(75);
        // over 100 ms since the idle session's proposal, some 80 since the busy one's: this entry expires the first
        assertEquals(4L, propose(leader, busy, 3));
        long sequence = 4;
        for (Node node : cluster.nodes) {
            // through a follower the outcome comes from the follower's own apply: each member decides alike
            final Object retry = propose(node, idle, 2);
            assertInstanceOf(SessionExpiredException.class, retry, node.id() + ": " + retry);
            assertTrue(((Exception) retry).getMessage().contains(Long.toHexString(idle.id())), retry::toString);
            assertEquals(4 + sequence - 3, propose(node, busy, sequence++), node.id());
        }
        cluster.steps(20);
        for (Node node : cluster.nodes) {
            assertEquals(7, applied(node), node.id());
        }
    }

    @Test
    void theTableStaysBoundedForgettingTheLeastRecentlyUsedFirst() throws IOException {
        final Node leader = start(Duration.ofHours(1), 4);
        final var sessions = new ClientSession[6];
        for (int i = 0; i < sessions.length; i++) {
            sessions[i] = leader.group().openSession();
            assertEquals((long) i + 1, propose(leader, sessions[i], 1));
        }
        assertInstanceOf(SessionExpiredException.class, propose(leader, sessions[0], 2));
        assertInstanceOf(SessionExpiredException.class, propose(leader, sessions[1], 2));
        for (int i = 2; i < sessions.length; i++) {
            assertEquals((long) i + 5, propose(leader, sessions[i], 2), "session " + i);
        }
    }

    @Test
    void aDuplicateAfterARestartFromASnapshotNeverReportsNull() throws IOException {
        Node leader = start(Duration.ofHours(1), 1_000);
        final ClientSession session = leader.group().openSession();
        assertEquals(1L, propose(leader, session, 1));
        assertEquals(2L, propose(leader, session, 2));
        final long appliedAt = lastIndex;
        awaitSnapshots();
        for (Node node : cluster.nodes) {
            cluster.restart(node);
        }
        leader = cluster.awaitLeader(null);
        final Object duplicate = propose(leader, session, 2);
        assertInstanceOf(ResultUnknownException.class, duplicate, duplicate::toString);
        assertTrue(((Exception) duplicate).getMessage().contains("entry " + appliedAt), duplicate::toString);
        assertInstanceOf(ResultUnknownException.class, propose(leader, session, 1));
        assertEquals(3L, propose(leader, session, 3));
        assertEquals(3L, propose(leader, session, 3)); // a duplicate of a result applied since: the original result
    }

    @Test
    void aDuplicateAfterARestartReplayingTheJournalReportsTheOriginalResult() throws IOException {
        Node leader = start(Duration.ofHours(1), 1_000);
        final ClientSession session = leader.group().openSession();
        assertEquals(1L, propose(leader, session, 1));
        for (Node node : cluster.nodes) {
            cluster.restart(node);
        }
        leader = cluster.awaitLeader(null);
        assertEquals(1L, propose(leader, session, 1));
    }

    @Test
    void expiryIsTheSameAfterARestartFromASnapshot() throws IOException {
        Node leader = start(Duration.ofMillis(50), 1_000);
        final ClientSession idle = leader.group().openSession();
        final ClientSession busy = leader.group().openSession();
        assertEquals(1L, propose(leader, idle, 1));
        assertEquals(2L, propose(leader, busy, 1));
        awaitSnapshots();
        for (Node node : cluster.nodes) {
            cluster.restart(node);
        }
        leader = cluster.awaitLeader(null);
        cluster.steps(60);
        assertInstanceOf(SessionExpiredException.class, propose(leader, idle, 2));
        assertInstanceOf(SessionExpiredException.class, propose(cluster.other(leader), busy, 2));
    }
}
