package dev.spool.raft.group;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link AgentSimulation} — the real agents, journals and snapshot stores under deterministic scheduling, over
 * a model of the Netty streamer — over many seeds. System properties: {@code spool.agentsim.seed} runs one seed,
 * {@code spool.agentsim.seeds} sets how many (default 1,000; 100,000 with {@code spool.test.tier=long}). Every seed
 * runs; a failure names each failing seed (the first ones) and how to replay it.
 */
class AgentSimulationTest {

    /** Failures reported in full; the others are counted. */
    private static final int FAILURES_SHOWN = 5;

    @TempDir
    Path directory;

    @Test
    @DisplayName("one leader per term, no group failed, learners never campaign nor count, strangers never asked,"
            + " the same operation at every index, convergence after the faults and a linearizable history, for every"
            + " seed")
    void everySeedIsSafeLiveAndLinearizable() throws Exception {
        final String one = System.getProperty("spool.agentsim.seed");
        final long first = one == null ? 1 : Long.parseLong(one);
        final boolean longTier = "long".equals(System.getProperty("spool.test.tier"));
        final long count = one != null ? 1 : Integer.getInteger("spool.agentsim.seeds", longTier ? 100_000 : 1_000);
        final long started = System.nanoTime();
        long operations = 0;
        long restarts = 0;
        long fromSnapshot = 0;
        final Map<String, Long> events = new TreeMap<>();
        final List<String> failures = new ArrayList<>();
        final Path base = inMemory();
        for (long seed = first; seed < first + count; seed++) {
            final Path runDirectory = base.resolve("seed-" + seed);
            try {
                final AgentSimulation.Result result = new AgentSimulation(seed, runDirectory).run();
                operations += result.operations();
                restarts += result.restarts();
                fromSnapshot += result.restartsFromSnapshot();
                result.events().forEach((name, times) -> events.merge(name, times, Long::sum));
            } catch (AssertionError | RuntimeException e) {
                failures.add(e.getMessage() + " (replay: -Dspool.agentsim.seed=" + seed + ")");
            }
            deleteRecursively(runDirectory);
        }
        deleteRecursively(base);
        System.out.printf(
                "agent simulation: %d seeds in %d s, %d client operations checked, %d restarts (%d from a"
                        + " snapshot)%n  events: %s%n",
                count, (System.nanoTime() - started) / 1_000_000_000L, operations, restarts, fromSnapshot, events);
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " of " + count + " seeds failed:\n  "
                    + String.join("\n  ", failures.subList(0, Math.min(FAILURES_SHOWN, failures.size()))));
        }
    }

    @Test
    @DisplayName("seeds 12 and 164: a membership change committed and compacted behind a snapshot before the group"
            + " checked whose entry committed fails no group")
    void membershipChangeCompactedBeforeItsCheck() throws Exception {
        replay(12);
        replay(164);
    }

    /** Runs one seed that once failed. */
    @Test
    @DisplayName(
            "seeds 15 and 132: a follower steps nothing after the chunk that completed its install, whose slot ring"
                    + " the restart replaces (it failed its core agent on the next AppendEntries of the same batch)")
    void nothingSteppedAfterAnInstall() throws Exception {
        replay(15);
        replay(132);
    }

    @Test
    @DisplayName("seeds 3618, 4582, 5769, 6431, 8807: a leader split off while paused commits, once it runs again, what"
            + " acknowledgements reached it before the split, and nothing more")
    void pausedLeaderSplitOffCommitsOnlyWhatReachedItBefore() throws Exception {
        for (long seed : new long[] {3618, 4582, 5769, 6431, 8807}) {
            replay(seed);
        }
    }

    @Test
    @DisplayName("seeds 47444, 55374, 87269: a split replaces the one before it, which the side's leader and a voter"
            + " outside it crossed when the two sides were added together")
    void aSplitReplacesTheOneBefore() throws Exception {
        for (long seed : new long[] {47444, 55374, 87269}) {
            replay(seed);
        }
    }

    private void replay(long seed) throws Exception {
        final Path base = inMemory();
        try {
            new AgentSimulation(seed, base.resolve("seed-" + seed)).run();
        } finally {
            deleteRecursively(base);
        }
    }

    /**
     * A directory in memory where the machine has one: the groups' storage forces snapshots and term updates to
     * disk, which the simulation (a NONE journal whose crashes lose nothing written) does not need and which would
     * cost most of its time on a shared disk.
     */
    private Path inMemory() throws java.io.IOException {
        final Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return Files.createTempDirectory(shm, "spool-agentsim-");
        }
        return Files.createDirectories(directory.resolve("runs"));
    }

    private static void deleteRecursively(Path root) throws Exception {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
