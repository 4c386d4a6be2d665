package dev.spool.raft.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Runs the deterministic simulation over many seeds. Every run checks election safety, log matching, leader
 * completeness and state machine safety after every step, liveness after the faults stop, and linearizability of
 * the client history. System properties: {@code spool.sim.seed} runs one seed, {@code spool.sim.seeds} sets how
 * many (default 1,000; 100,000 with {@code spool.test.tier=long}).
 */
class SimulationTest {

    @Test
    @DisplayName("safety, liveness and linearizability hold under faults for every seed")
    void everySeedIsSafeLiveAndLinearizable() {
        final List<Simulation.Result> results = new ArrayList<>();
        for (long seed : seeds()) {
            results.add(new Simulation(seed).run());
        }
        report(results);
    }

    private static List<Long> seeds() {
        final String one = System.getProperty("spool.sim.seed");
        if (one != null) {
            return List.of(Long.parseLong(one));
        }
        final boolean longTier = "long".equals(System.getProperty("spool.test.tier"));
        final int count = Integer.getInteger("spool.sim.seeds", longTier ? 100_000 : 1_000);
        final var seeds = new ArrayList<Long>(count);
        for (long seed = 1; seed <= count; seed++) {
            seeds.add(seed);
        }
        return seeds;
    }

    private static void report(List<Simulation.Result> results) {
        final var first = new ArrayList<Long>();
        final var recovery = new ArrayList<Long>();
        long operations = 0;
        final var events = new java.util.TreeMap<String, Long>();
        for (Simulation.Result result : results) {
            result.events().forEach((event, count) -> events.merge(event, count, Long::sum));
            first.add(result.firstElectionTicks());
            recovery.add(result.recoveryTicks());
            operations += result.operations();
        }
        System.out.printf("simulation: %d seeds, %d client operations checked%n", results.size(), operations);
        System.out.println("  first election, ticks from start: " + summary(first));
        System.out.println("  leader known to all after faults stop, ticks: " + summary(recovery));
        System.out.println("  events: " + events);
    }

    private static String summary(List<Long> values) {
        Collections.sort(values);
        return "min " + values.get(0) + ", median " + values.get(values.size() / 2) + ", max "
                + values.get(values.size() - 1);
    }
}
