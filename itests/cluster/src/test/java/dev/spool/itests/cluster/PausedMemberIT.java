package dev.spool.itests.cluster;

import static dev.spool.itests.cluster.ClusterTestSupport.STARTUP;
import static dev.spool.itests.cluster.ClusterTestSupport.THREE;
import static dev.spool.itests.cluster.ClusterTestSupport.assertHolds;
import static dev.spool.itests.cluster.ClusterTestSupport.await;
import static dev.spool.itests.cluster.ClusterTestSupport.awaitSameHistory;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.itests.cluster.harness.ClusterHarness;
import dev.spool.itests.cluster.harness.ControlClient;
import dev.spool.itests.cluster.harness.MemberProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A member paused with SIGSTOP and resumed with SIGCONT, as a long garbage collection, a stopped VM or a debugger
 * does to a real one: its clock ran on, its peers' messages wait unread in its sockets.
 */
@ExtendWith(DiscardPassedData.class)
class PausedMemberIT {

    private static final Duration ELECTION = Duration.ofSeconds(30);
    private static final Duration CONVERGENCE = Duration.ofSeconds(60);
    /** Far beyond the members' election timeout (30 ticks of 10 ms): the others elect a new leader meanwhile. */
    private static final long LEADER_PAUSE_MILLIS = 2_000;
    /** The paused member's own idle timeout: shorter than its pause, while its peers keep their 10 s. */
    private static final long SHORT_IDLE_MILLIS = 2_000;

    private static final long MEMBER_PAUSE_MILLIS = 4_000;
    /** Many more than are acknowledged before the pause: the leader is paused while proposals stream. */
    private static final long PROPOSALS = 30_000;
    /** Streams of proposals to the leader at once, each its own client; each numbers its own range. */
    private static final int CLIENTS = 3;

    private static final long CLIENT_SEQUENCES = 1_000_000;
    private static final int PAYLOAD_BYTES = 64;
    private static final int IN_FLIGHT = 128;

    @Test
    @Timeout(300)
    @DisplayName("every proposal to a leader paused beyond the election timeout ends, and the cluster converges")
    void proposalsToAPausedLeaderAllEnd() throws Exception {
        try (ClusterHarness cluster = new ClusterHarness(
                ClusterTestSupport.workDirectory("paused-leader"),
                ClusterTestSupport.memberClasspath(),
                THREE,
                List.of())) {
            cluster.startAll(STARTUP);
            final MemberProcess paused = cluster.awaitLeader(ELECTION);
            final AcknowledgedSequences acknowledged = new AcknowledgedSequences();
            final List<CompletableFuture<ControlClient.ProposeEnd>> clients = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                final long first = client * CLIENT_SEQUENCES;
                clients.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return paused.control().propose(first, PROPOSALS, PAYLOAD_BYTES, IN_FLIGHT, acknowledged::add);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
            }
            await(
                    CONVERGENCE,
                    "proposals acknowledged by " + paused.id(),
                    () -> acknowledged.count() >= 2_000 || clients.stream().anyMatch(CompletableFuture::isDone));
            assertTrue(
                    clients.stream().noneMatch(CompletableFuture::isDone),
                    "proposals ended before the leader was paused");

            paused.pause();
            Thread.sleep(LEADER_PAUSE_MILLIS);
            paused.resume();

            final List<String> failures = new ArrayList<>();
            for (CompletableFuture<ControlClient.ProposeEnd> client : clients) {
                final ControlClient.ProposeEnd end = client.get(120, TimeUnit.SECONDS);
                assertTrue(end.finished(), paused.id() + " did not report the end of its proposals: " + end);
                assertTrue(
                        end.lost().isEmpty(),
                        "proposals to the paused leader " + paused.id() + " got no outcome" + " within their deadline: "
                                + end);
                failures.addAll(end.failures());
            }

            final MemberProcess leader = cluster.awaitLeader(ELECTION);
            awaitSameHistory(cluster, CONVERGENCE);
            final Map<String, String> reference = leader.control().read();
            for (MemberProcess member : cluster.members()) {
                assertHolds(member, reference, acknowledged, CONVERGENCE);
            }
            System.out.printf(
                    "paused leader: %s acknowledged %d proposals, failed %s; %s leads%n",
                    paused.id(), acknowledged.count(), failures, leader.id());
        }
    }

    @Test
    @Timeout(300)
    @DisplayName("a member resumed after a pause longer than its idle timeout keeps its healthy peer connections")
    void resumedMemberKeepsHealthyConnections() throws Exception {
        try (ClusterHarness cluster = new ClusterHarness(
                ClusterTestSupport.workDirectory("paused-member"),
                ClusterTestSupport.memberClasspath(),
                THREE,
                List.of())) {
            final MemberProcess paused = cluster.member(THREE.get(0));
            paused.memberOptions(List.of("--idle-timeout-ms", Long.toString(SHORT_IDLE_MILLIS)));
            cluster.startAll(STARTUP);
            cluster.awaitLeader(ELECTION);

            // Its peers go on sending (heartbeats, keep-alives every second) into its sockets while it is paused.
            paused.pause();
            Thread.sleep(MEMBER_PAUSE_MILLIS);
            final int logMark = paused.errorOutput().length();
            paused.resume();

            final MemberProcess leader = cluster.awaitLeader(ELECTION);
            final AcknowledgedSequences acknowledged = new AcknowledgedSequences();
            final ControlClient.ProposeEnd end =
                    leader.control().propose(0, 1_000, PAYLOAD_BYTES, IN_FLIGHT, acknowledged::add);
            assertTrue(end.allAcknowledged(), "proposals after the resume: " + end);
            final Map<String, String> reference = leader.control().read();
            for (MemberProcess member : cluster.members()) {
                assertHolds(member, reference, acknowledged, CONVERGENCE);
            }
            final String afterResume = paused.errorOutput().substring(logMark);
            assertFalse(
                    afterResume.contains("nothing received for"),
                    paused.id() + " closed peer connections whose"
                            + " data waited unread in its sockets, as if the peers were dead:\n" + afterResume);
        }
    }
}
