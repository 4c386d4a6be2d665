package dev.spool.raft.group;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link AgentSimulation} — the real agents, journals and snapshot stores under deterministic scheduling —
 * over many seeds. System properties: {@code spool.agentsim.seed} runs one seed, {@code spool.agentsim.seeds} sets
 * how many (default 1,000; 10,000 with {@code spool.test.tier=long}).
 */
class AgentSimulationTest {

    @TempDir
    Path directory;

    @Test
    @DisplayName("one leader per term, the same operation at every index on every member, convergence after the"
        + " faults and a linearizable history, for every seed")
    void everySeedIsSafeLiveAndLinearizable() throws Exception {
        final String one = System.getProperty("spool.agentsim.seed");
        final long first = one == null ? 1 : Long.parseLong(one);
        final boolean longTier = "long".equals(System.getProperty("spool.test.tier"));
        final long count = one != null ? 1 : Integer.getInteger("spool.agentsim.seeds", longTier ? 10_000 : 1_000);
        long operations = 0;
        long restarts = 0;
        long fromSnapshot = 0;
        final var events = new java.util.TreeMap<String, Long>();
        for (long seed = first; seed < first + count; seed++) {
            final Path runDirectory = directory.resolve("seed-" + seed);
            final AgentSimulation.Result result = new AgentSimulation(seed, runDirectory).run();
            operations += result.operations();
            restarts += result.restarts();
            fromSnapshot += result.restartsFromSnapshot();
            result.events().forEach((name, times) -> events.merge(name, times, Long::sum));
            deleteRecursively(runDirectory);
        }
        System.out.printf("agent simulation: %d seeds, %d client operations checked, %d restarts (%d from a"
            + " snapshot)%n  events: %s%n", count, operations, restarts, fromSnapshot, events);
    }

    private static void deleteRecursively(Path root) throws Exception {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
