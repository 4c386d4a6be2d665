package dev.spool.raft.group;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.group.Durability;
import dev.spool.api.group.GroupRole;
import dev.spool.raft.pipeline.AgentRunner;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Raft threads allocate nothing per committed entry in steady state. Measured with per-thread allocation
 * counters of the agent threads only (the proposing client thread is not counted), after a warm-up; the codec and
 * state machine used allocate nothing themselves, so everything counted is the pipeline's.
 */
@Timeout(300)
class GroupAllocationTest {

    private static final int WARM_UP = 500_000; // until C2 has compiled the paths: earlier windows still allocate
    private static final int MEASURED = 100_000;

    @TempDir
    Path directory;

    @Test
    @DisplayName("one member: the Raft threads allocate under 1 byte per committed entry over 100,000 entries")
    void raftThreadsAllocateNothingPerEntry() throws Exception {
        try (AgentRunner runner = AgentRunner.start("alloc", 3, 1_000_000, (agent, error) -> error.printStackTrace());
                LocalStorage storage = new LocalStorage(directory, LocalStorage.LARGE_SEGMENTS)) {
            // The production tick (10 ms): the core allocates a little per leader tick, whatever the throughput
            // (see docs/benchmarks.md); snapshots are off, they cost per snapshot, not per entry.
            final GroupSettings settings =
                    GroupSettings.singleMember("g", "m1", Durability.NONE).withSnapshots(10_000_000, 1_000);
            final var machine = new ChecksumMachine();
            final var group = new GroupMember<>(settings, machine, new BytesCodec(), runner, System::nanoTime);
            group.start(storage.journals, storage.snapshots, null);
            Await.until("the member leads", () -> group.role() == GroupRole.LEADER, () -> "role " + group.role());
            final var outcomes = new Outcomes();
            final byte[] payload = new byte[64];
            final var threads = new RaftThreads("alloc");

            propose(group, payload, outcomes, WARM_UP);
            final long before = threads.allocatedBytes();
            final long started = System.nanoTime();
            propose(group, payload, outcomes, MEASURED);
            final long allocated = threads.allocatedBytes() - before;
            final long measuredNanos = System.nanoTime() - started;
            final long idleBefore = threads.allocatedBytes();
            Thread.sleep(1_000);
            final long idlePerSecond = threads.allocatedBytes() - idleBefore;
            group.stop();

            final double perEntry = (double) allocated / MEASURED;
            // Reported, not asserted: what the threads allocate with no entries at all (ticks, parking).
            System.out.printf(
                    "one member: %d bytes allocated by %d Raft threads over %d entries in %d ms: %.4f"
                            + " B/entry; idle: %d B/s%n",
                    allocated, threads.count(), MEASURED, measuredNanos / 1_000_000, perEntry, idlePerSecond);
            assertTrue(outcomes.failures.isEmpty(), outcomes.failures::toString);
            assertTrue(perEntry < 1.0, "Raft threads allocated " + allocated + " bytes for " + MEASURED + " entries");
        }
    }

    private static void propose(GroupMember<byte[]> group, byte[] payload, Outcomes outcomes, int count) {
        final long target = outcomes.applied.get() + count;
        for (int i = 0; i < count; i++) {
            group.propose(payload, 10, TimeUnit.SECONDS, outcomes);
        }
        Await.until(
                "the proposals apply",
                () -> outcomes.applied.get() >= target || !outcomes.failures.isEmpty(),
                () -> outcomes.applied + " applied");
    }
}
