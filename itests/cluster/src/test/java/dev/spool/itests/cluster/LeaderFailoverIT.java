package dev.spool.itests.cluster;

import static dev.spool.itests.cluster.ClusterTestSupport.STARTUP;
import static dev.spool.itests.cluster.ClusterTestSupport.THREE;
import static dev.spool.itests.cluster.ClusterTestSupport.assertHolds;
import static dev.spool.itests.cluster.ClusterTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.group.Durability;
import dev.spool.itests.cluster.harness.ClusterHarness;
import dev.spool.itests.cluster.harness.ControlClient;
import dev.spool.itests.cluster.harness.MemberProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Three members in separate JVMs; the leader is killed with SIGKILL while proposals stream in; a new leader takes
 * over; no acknowledged entry is lost; the killed member restarts from its data directory and catches up.
 */
@ExtendWith(DiscardPassedData.class)
class LeaderFailoverIT {

    /** Entries committed in all, across the two leaders. */
    private static final int ENTRIES = ClusterTestSupport.longTier() ? 1_000_000 : 100_000;

    private static final int PAYLOAD_BYTES = 64;
    private static final int IN_FLIGHT = 256;
    private static final Duration ELECTION = Duration.ofSeconds(30);
    private static final Duration CONVERGENCE = Duration.ofSeconds(120);

    @ParameterizedTest(name = "{0}")
    @EnumSource(Durability.class)
    @Timeout(600)
    @DisplayName("a leader killed with kill -9 while proposals run loses no acknowledged entry, and rejoins")
    void killedLeaderLosesNoAcknowledgedEntry(Durability durability) throws Exception {
        try (ClusterHarness cluster = new ClusterHarness(
                ClusterTestSupport.workDirectory("failover-" + durability),
                ClusterTestSupport.memberClasspath(),
                THREE,
                List.of("--durability", durability.name()))) {
            cluster.startAll(STARTUP);
            final MemberProcess first = cluster.awaitLeader(ELECTION);
            final AcknowledgedSequences acknowledged = new AcknowledgedSequences();

            // Pipelined proposals on the first leader, killed once part of them are acknowledged.
            final CompletableFuture<ControlClient.ProposeEnd> firstRun = CompletableFuture.supplyAsync(() -> {
                try {
                    return first.control().propose(0, ENTRIES, PAYLOAD_BYTES, IN_FLIGHT, acknowledged::add);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            await(
                    CONVERGENCE,
                    "a third of the entries acknowledged by " + first.id(),
                    () -> acknowledged.count() >= ENTRIES / 3 || firstRun.isDone());
            first.kill();
            final ControlClient.ProposeEnd killedRun = firstRun.get();
            assertFalse(
                    killedRun.finished(),
                    "the leader finished all " + ENTRIES + " proposals before it was killed;"
                            + " the test did not kill it while proposals ran");
            final int acknowledgedByFirst = acknowledged.count();

            // A new leader among the survivors commits the rest.
            final MemberProcess second = cluster.awaitLeader(ELECTION);
            assertNotEquals(first.id(), second.id(), "the killed member cannot lead");
            final ControlClient.ProposeEnd secondRun = second.control()
                    .propose(ENTRIES, ENTRIES - acknowledgedByFirst, PAYLOAD_BYTES, IN_FLIGHT, acknowledged::add);
            assertTrue(secondRun.allAcknowledged(), "the new leader failed proposals: " + secondRun);
            assertEquals(ENTRIES, acknowledged.count(), "acknowledged entries across both leaders");

            final Map<String, String> reference = second.control().read();
            for (MemberProcess survivor : cluster.running()) {
                assertHolds(survivor, reference, acknowledged, CONVERGENCE);
            }

            // The killed member restarts from its data directory and reaches the same state.
            first.start(STARTUP);
            assertHolds(first, reference, acknowledged, CONVERGENCE);
        }
    }
}
