package dev.spool.itests.cluster;

import static dev.spool.itests.cluster.ClusterTestSupport.STARTUP;
import static dev.spool.itests.cluster.ClusterTestSupport.THREE;
import static dev.spool.itests.cluster.ClusterTestSupport.appliedState;
import static dev.spool.itests.cluster.ClusterTestSupport.await;
import static dev.spool.itests.cluster.ClusterTestSupport.follower;
import static dev.spool.itests.cluster.ClusterTestSupport.snapshots;
import static dev.spool.itests.cluster.ClusterTestSupport.startInSmallJvms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.itests.cluster.harness.ClusterHarness;
import dev.spool.itests.cluster.harness.ControlClient;
import dev.spool.itests.cluster.harness.MemberProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A follower far behind catches up by streaming the leader's journal, while the leader runs in a small heap and a
 * small direct-memory budget: the leader never holds the backlog in memory.
 */
@ExtendWith(DiscardPassedData.class)
class FollowerCatchUpIT {

    private static final long BEHIND_BYTES = (ClusterTestSupport.longTier() ? 1024L : 256L) << 20;
    private static final int ENTRY_BYTES = 64 << 10;
    private static final long ENTRIES = BEHIND_BYTES / ENTRY_BYTES;
    /** Above the entry count: no snapshot is taken, so the follower must be fed from the journal. */
    private static final long NO_SNAPSHOTS = 1_000_000_000L;
    /** How much the leader's heap after a full collection may grow while it feeds the follower. */
    private static final long HEAP_GROWTH_LIMIT = 8 << 20;

    @Test
    @Timeout(900)
    @DisplayName("a follower 256 MiB behind catches up from a leader in -Xmx48m without OOM or heap growth")
    void followerFarBehindCatchesUpFromJournal() throws Exception {
        try (ClusterHarness cluster = new ClusterHarness(
                ClusterTestSupport.workDirectory("catch-up"),
                ClusterTestSupport.memberClasspath(),
                THREE,
                List.of(
                        "--snapshot-interval",
                        Long.toString(NO_SNAPSHOTS),
                        "--segment-size",
                        Integer.toString(64 << 20)))) {
            final MemberProcess leader = startInSmallJvms(cluster);
            final MemberProcess behind = follower(cluster, leader);
            behind.stop();

            final ControlClient.ProposeEnd written =
                    leader.control().propose(0, ENTRIES, ENTRY_BYTES, 16, (sequence, index) -> {});
            assertTrue(
                    written.allAcknowledged(),
                    "the leader and the other follower did not commit " + ENTRIES + " entries: " + written);
            final Map<String, String> reference = leader.control().read();
            final long heapBefore = leader.control().usedHeapAfterGc();

            behind.start(STARTUP);
            await(
                    Duration.ofSeconds(600),
                    behind.id() + " catching up to " + reference,
                    () -> Long.parseLong(behind.control().status().get("lastIndex"))
                            >= Long.parseLong(reference.get("lastIndex")));
            final long heapAfter = leader.control().usedHeapAfterGc();

            assertEquals(
                    reference.get("checksum"),
                    behind.control().status().get("checksum"),
                    behind.id() + " applied another history: " + appliedState(behind.control()));
            assertTrue(leader.alive(), "the leader died");
            assertFalse(leader.errorOutput().contains("OutOfMemoryError"), "the leader ran out of memory");
            assertTrue(
                    heapAfter - heapBefore <= HEAP_GROWTH_LIMIT,
                    "the leader's heap after a full collection grew" + " from " + heapBefore + " to " + heapAfter
                            + " bytes while it fed the follower");
            assertEquals(
                    List.of(),
                    snapshots(leader.dataDirectory()),
                    "a snapshot was taken, so the catch-up may not" + " have streamed the journal");
            System.out.printf(
                    "catch-up of %d entries of %d bytes: leader heap after GC %d -> %d bytes%n",
                    ENTRIES, ENTRY_BYTES, heapBefore, heapAfter);
        }
    }
}
