package dev.spool.raft.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.group.BusyException;
import dev.spool.api.group.ClientSession;
import dev.spool.api.group.Durability;
import dev.spool.api.group.GroupRole;
import dev.spool.api.group.NotLeaderException;
import dev.spool.api.group.OutcomeUnknownException;
import dev.spool.api.group.ProposalCallback;
import dev.spool.api.group.RaftGroupException;
import dev.spool.api.group.ReadCallback;
import dev.spool.api.spi.raft.ForwardResult;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Proposals and read barriers made on followers go through the leader: three members in one JVM. */
@Timeout(120)
class ForwardingTest {

    @TempDir
    Path directory;

    private LocalCluster cluster;

    private LocalCluster start(UnaryOperator<GroupSettings> tune) throws Exception {
        cluster = new LocalCluster(directory, "forward", LocalStorage.SMALL_SEGMENTS, 3, Durability.NONE, tune);
        cluster.startAll();
        return cluster;
    }

    @AfterEach
    void tearDown() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private LocalCluster.Node follower(LocalCluster.Node leader, int which) {
        return cluster.nodes.stream()
                .filter(node -> node != leader)
                .skip(which)
                .findFirst()
                .orElseThrow();
    }

    /** Takes a read barrier on {@code node}: completes with what {@code read} returns once it passes, or its error. */
    private static CompletableFuture<Long> readBarrier(LocalCluster.Node node, LongSupplier read) {
        final var result = new CompletableFuture<Long>();
        node.group().readBarrier(10, TimeUnit.SECONDS, new ReadCallback() {
            @Override
            public void readable(long readIndex) {
                result.complete(read.getAsLong());
            }

            @Override
            public void failed(RaftGroupException error) {
                result.completeExceptionally(error);
            }
        });
        return result;
    }

    /** Counts outcomes and checks that a forwarded proposal's member has applied the entry when it hears so. */
    private static final class FollowerOutcomes implements ProposalCallback {
        final Outcomes outcomes = new Outcomes();
        final LocalCluster.Node member;
        final AtomicLong notYetApplied = new AtomicLong();

        FollowerOutcomes(LocalCluster.Node member) {
            this.member = member;
        }

        @Override
        public void applied(long index, Object result) {
            if (member.group().appliedIndex() < index) {
                notYetApplied.incrementAndGet();
            }
            outcomes.applied(index, result);
        }

        @Override
        public void failed(RaftGroupException error) {
            outcomes.failed(error);
        }
    }

    @Test
    @DisplayName("proposals made on a follower commit through the leader; each callback hears the entry's index once"
            + " the follower itself has applied it")
    void proposalOnFollowerCommits() throws Exception {
        start(UnaryOperator.identity());
        final LocalCluster.Node leader = cluster.awaitLeader();
        final LocalCluster.Node follower = follower(leader, 0);
        final var outcomes = new FollowerOutcomes(follower);
        for (int i = 0; i < 500; i++) {
            follower.group().propose(new byte[] {(byte) i, 7}, 10, TimeUnit.SECONDS, outcomes);
        }
        Await.until("all forwarded proposals settle", () -> outcomes.outcomes.settled() == 500, cluster::describe);
        assertTrue(outcomes.outcomes.failures.isEmpty(), outcomes.outcomes.failures::toString);
        assertEquals(0, outcomes.notYetApplied.get(), "no callback before the follower applied its entry");
        cluster.awaitApplied(outcomes.outcomes.lastIndex.get());
        for (LocalCluster.Node node : cluster.nodes) {
            assertEquals(500, node.machine().count(), node.id() + " applied every forwarded proposal once");
            assertEquals(leader.machine().checksum(), node.machine().checksum(), node.id() + " applied the same");
        }
    }

    @Test
    @DisplayName("a session's proposal whose forwarded answer is lost times out as outcome unknown although it"
            + " commits; retried through another follower with the same sequence number it applies once")
    void sessionRetryThroughFollowersAppliesOnce() throws Exception {
        start(UnaryOperator.identity());
        final LocalCluster.Node leader = cluster.awaitLeader();
        final LocalCluster.Node first = follower(leader, 0);
        final LocalCluster.Node second = follower(leader, 1);
        final ClientSession session = first.group().openSession();
        final long sequence = session.nextSequence();
        final byte[] payload = {42, 1};

        cluster.network.lose(ForwardResult.class);
        final var lost = new Outcomes();
        first.group().propose(session, sequence, payload, 200, TimeUnit.MILLISECONDS, lost);
        Await.until("the first attempt times out", () -> lost.settled() == 1, cluster::describe);
        assertTrue(lost.failures.peek() instanceof OutcomeUnknownException, lost.failures::toString);
        Await.until("the first attempt commits anyway", () -> leader.machine().count() == 1, cluster::describe);

        cluster.network.deliverAll();
        final var retried = new Outcomes();
        second.group().propose(session, sequence, payload, 10, TimeUnit.SECONDS, retried);
        Await.until("the retry settles", () -> retried.settled() == 1, cluster::describe);
        assertTrue(retried.failures.isEmpty(), retried.failures::toString);
        assertEquals(1, retried.applied.get());
        cluster.awaitApplied(retried.lastIndex.get());
        for (LocalCluster.Node node : cluster.nodes) {
            assertEquals(1, node.machine().count(), node.id() + " applied the session's proposal once");
        }
    }

    @Test
    @DisplayName("a read barrier on a follower passes only once the follower reflects every write acknowledged"
            + " before it was taken")
    void readBarrierOnFollowerSeesAcknowledgedWrites() throws Exception {
        start(UnaryOperator.identity());
        final LocalCluster.Node leader = cluster.awaitLeader();
        final LocalCluster.Node follower = follower(leader, 0);
        for (int round = 1; round <= 20; round++) {
            final var writes = new Outcomes();
            for (int i = 0; i < 50; i++) {
                leader.group().propose(new byte[] {(byte) i}, 10, TimeUnit.SECONDS, writes);
            }
            Await.until("the writes are acknowledged", () -> writes.applied.get() == 50, cluster::describe);
            final long acknowledged = leader.machine().count();
            final CompletableFuture<Long> seen =
                    readBarrier(follower, () -> follower.machine().count());
            assertTrue(
                    seen.get(30, TimeUnit.SECONDS) >= acknowledged,
                    "round " + round + ": the follower read" + " after its barrier sees all " + acknowledged
                            + " acknowledged writes");
        }
    }

    @Test
    @DisplayName("a follower holds at most its fixed number of forwarded proposals waiting for answers; one more is"
            + " refused as busy")
    void forwardBoundAnswersBusy() throws Exception {
        start(settings -> settings.withSlotCapacity(64));
        final LocalCluster.Node leader = cluster.awaitLeader();
        final LocalCluster.Node follower = follower(leader, 0);
        cluster.network.lose(ForwardResult.class);
        final var waiting = new Outcomes();
        for (int i = 0; i < 64; i++) {
            follower.group().propose(new byte[] {(byte) i}, 30, TimeUnit.SECONDS, waiting);
        }
        final var extra = new Outcomes();
        follower.group().propose(new byte[] {-1}, 30, TimeUnit.SECONDS, extra);
        Await.until("the extra proposal is refused", () -> extra.settled() == 1, cluster::describe);
        assertTrue(extra.failures.peek() instanceof BusyException, extra.failures::toString);
        assertEquals(0, waiting.settled(), "the forwarded proposals still wait for their answers");
    }

    @Test
    @DisplayName("the leader dies while proposals are forwarded to it: every callback fails with outcome unknown,"
            + " none is lost and none reported committed")
    void leaderDiesWithForwardsOutstanding() throws Exception {
        start(UnaryOperator.identity());
        final LocalCluster.Node leader = cluster.awaitLeader();
        final LocalCluster.Node follower = follower(leader, 0);
        cluster.network.lose(ForwardResult.class);
        final var outcomes = new Outcomes();
        for (int i = 0; i < 50; i++) {
            follower.group().propose(new byte[] {(byte) i}, 60, TimeUnit.SECONDS, outcomes);
        }
        Await.until(
                "the leader received the forwarded proposals",
                () -> leader.machine().count() == 50,
                cluster::describe);
        leader.group().stop();
        Await.until("every forwarded proposal settles", () -> outcomes.settled() == 50, cluster::describe);
        assertEquals(0, outcomes.applied.get(), "nothing reported committed: the answers were lost");
        for (RaftGroupException failure : outcomes.failures) {
            assertTrue(failure instanceof OutcomeUnknownException, failure.toString());
        }
        Await.until(
                "a new leader",
                () -> cluster.nodes.stream()
                        .anyMatch(node -> node != leader && node.group().role() == GroupRole.LEADER),
                cluster::describe);
        cluster.network.deliverAll();
        final var after = new Outcomes();
        follower.group().propose(new byte[] {9}, 10, TimeUnit.SECONDS, after);
        Await.until("a proposal after the change settles", () -> after.settled() == 1, cluster::describe);
        assertEquals(50, outcomes.settled(), "each callback was called exactly once");
    }

    @Test
    @DisplayName("with forwarding off, a follower refuses proposals and read barriers with NotLeaderException"
            + " naming the leader")
    void optionOffRefusesNamingTheLeader() throws Exception {
        start(settings -> settings.withForwardToLeader(false));
        final LocalCluster.Node leader = cluster.awaitLeader();
        final LocalCluster.Node follower = follower(leader, 0);
        final var outcomes = new Outcomes();
        follower.group().propose(new byte[] {1}, 1, TimeUnit.SECONDS, outcomes);
        assertEquals(1, outcomes.failures.size(), "refused at once");
        final RaftGroupException refusal = outcomes.failures.peek();
        assertTrue(refusal instanceof NotLeaderException, refusal.toString());
        assertEquals(Optional.of(leader.id()), ((NotLeaderException) refusal).leaderId());

        final CompletableFuture<Long> read = readBarrier(follower, () -> 0);
        final var error = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class, () -> read.get(30, TimeUnit.SECONDS));
        assertTrue(
                error.getCause() instanceof NotLeaderException, error.getCause().toString());
        assertEquals(Optional.of(leader.id()), ((NotLeaderException) error.getCause()).leaderId());
    }
}
