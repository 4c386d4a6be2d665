package dev.spool.raft.group;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.group.Durability;
import dev.spool.api.group.GroupRole;
import dev.spool.raft.pipeline.AgentRunner;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Measures, not tests: entries committed and applied per second by a single-member group on the real journal, one
 * client thread proposing as fast as the bounded intake lets it. Runs only when asked:
 * {@code mvn -B -o -q -pl bundles/raft -am test -Dtest=GroupThroughputMeasurement -Dspool.measure=true
 * -Dsurefire.failIfNoSpecifiedTests=false}; the figures are printed and recorded in docs/benchmarks.md.
 */
@EnabledIfSystemProperty(named = "spool.measure", matches = "true")
class GroupThroughputMeasurement {

    @TempDir
    Path directory;

    @ParameterizedTest(name = "{0} B payloads, {1}")
    @CsvSource({"64, NONE, 1000000", "1024, NONE, 500000", "64, SYNC, 300000", "1024, SYNC, 200000"})
    @DisplayName("entries committed per second, one member")
    void committedPerSecond(int payloadBytes, Durability durability, int entries) throws Exception {
        try (AgentRunner runner = AgentRunner.start("measure", 3, 1_000_000, (agent, e) -> e.printStackTrace());
                LocalStorage storage = new LocalStorage(directory, LocalStorage.LARGE_SEGMENTS)) {
            final GroupSettings settings =
                    GroupSettings.singleMember("g", "m1", durability).withSlotCapacity(4096);
            final var group =
                    new GroupMember<>(settings, new ChecksumMachine(), new BytesCodec(), runner, System::nanoTime);
            group.start(storage.journals, storage.snapshots, null);
            Await.until("the member leads", () -> group.role() == GroupRole.LEADER, () -> "role " + group.role());
            final byte[] payload = new byte[payloadBytes];
            final var outcomes = new Outcomes();
            run(group, payload, outcomes, entries / 5); // warm-up
            final long start = System.nanoTime();
            run(group, payload, outcomes, entries);
            final double seconds = (System.nanoTime() - start) / 1e9;
            group.stop();
            assertTrue(outcomes.failures.isEmpty(), outcomes.failures::toString);
            System.out.printf(
                    "one member, %d B, %s: %d entries in %.2f s = %.0f entries/s%n",
                    payloadBytes, durability, entries, seconds, entries / seconds);
        }
    }

    @ParameterizedTest(name = "{0} B payloads, {1}")
    @CsvSource({"64, NONE, 300000", "1024, NONE, 200000", "64, SYNC, 200000", "1024, SYNC, 100000"})
    @DisplayName("entries committed per second, three members in one JVM")
    void threeMembersCommittedPerSecond(int payloadBytes, Durability durability, int entries) throws Exception {
        try (LocalCluster cluster = new LocalCluster(
                directory,
                "measure3",
                LocalStorage.LARGE_SEGMENTS,
                3,
                durability,
                InProcessNetwork.zeroCopy(),
                ChecksumMachine::new,
                new ReusingBytesCodec(),
                10_000_000,
                10_000_000,
                1_000)) {
            cluster.startAll();
            final GroupMember<byte[]> leader = cluster.awaitLeader().group();
            final byte[] payload = new byte[payloadBytes];
            final var outcomes = new Outcomes();
            run(leader, payload, outcomes, entries / 5);
            final long start = System.nanoTime();
            run(leader, payload, outcomes, entries);
            final double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(outcomes.failures.isEmpty(), outcomes.failures::toString);
            System.out.printf(
                    "three members, %d B, %s: %d entries in %.2f s = %.0f entries/s%n",
                    payloadBytes, durability, entries, seconds, entries / seconds);
        }
    }

    @org.junit.jupiter.api.Test
    @DisplayName("bytes the Raft threads of three members allocate per committed entry")
    void threeMembersAllocation() throws Exception {
        try (LocalCluster cluster = new LocalCluster(
                directory,
                "alloc3",
                LocalStorage.LARGE_SEGMENTS,
                3,
                Durability.NONE,
                InProcessNetwork.zeroCopy(),
                ChecksumMachine::new,
                new ReusingBytesCodec(),
                10_000_000,
                10_000_000,
                1_000)) {
            cluster.startAll();
            final GroupMember<byte[]> leader = cluster.awaitLeader().group();
            final var threads = new RaftThreads("alloc3");
            final byte[] payload = new byte[64];
            final var outcomes = new Outcomes();
            run(leader, payload, outcomes, 600_000); // warm-up: until C2 has compiled the paths
            cluster.awaitApplied(outcomes.lastIndex.get());
            final long before = threads.allocatedBytes();
            final long messagesBefore = cluster.network.delivered.get();
            run(leader, payload, outcomes, 100_000);
            cluster.awaitApplied(outcomes.lastIndex.get());
            final long allocated = threads.allocatedBytes() - before;
            final long messages = cluster.network.delivered.get() - messagesBefore;
            assertTrue(outcomes.failures.isEmpty(), outcomes.failures::toString);
            System.out.printf(
                    "three members: %d bytes allocated by the %d Raft threads over 100000 entries:"
                            + " %.2f B/entry; %d messages, %.0f B/message%n",
                    allocated, threads.count(), allocated / 100_000.0, messages, (double) allocated / messages);
        }
    }

    private static void run(GroupMember<byte[]> group, byte[] payload, Outcomes outcomes, int count) {
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
