package dev.spool.raft.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DeterministicAgentSchedulerTest {

    /** An agent that logs its duty cycles and works a given number of them. */
    private record LoggingAgent(String roleName, List<String> log, int[] workLeft) implements Agent {

        LoggingAgent(String roleName, List<String> log, int work) {
            this(roleName, log, new int[] {work});
        }

        @Override
        public void onStart() {
            log.add(roleName + ".start");
        }

        @Override
        public int doWork() {
            log.add(roleName);
            if (workLeft[0] == 0) {
                return 0;
            }
            workLeft[0]--;
            return 1;
        }

        @Override
        public void onClose() {
            log.add(roleName + ".close");
        }
    }

    private static List<String> run(long seed) {
        final List<String> log = new ArrayList<>();
        try (var scheduler = new DeterministicAgentScheduler(seed)) {
            for (String role : List.of("core", "log", "apply", "replicate-b", "replicate-c")) {
                scheduler.add(new LoggingAgent(role, log, 3));
            }
            for (int round = 0; round < 20; round++) {
                scheduler.runRound();
            }
        }
        return log;
    }

    @Test
    @DisplayName("the same seed gives the same order of duty cycles; another seed another order")
    void reproducibleFromSeed() {
        final List<String> first = run(42);
        assertEquals(first, run(42));
        assertNotEquals(first, run(43));
        assertEquals(5 + 5 * 20 + 5, first.size(), "starts, one cycle per agent per round, closes");
    }

    @Test
    @DisplayName("running until idle stops at the first round without work; endless work is reported as a livelock")
    void runUntilIdle() {
        final List<String> log = new ArrayList<>();
        try (var scheduler = new DeterministicAgentScheduler(1)) {
            scheduler.add(new LoggingAgent("core", log, 2));
            scheduler.add(new LoggingAgent("log", log, 4));
            assertEquals(5, scheduler.runUntilIdle(10));
            scheduler.add(new LoggingAgent("busy", log, Integer.MAX_VALUE));
            assertEquals(
                    "agents still busy after 10 rounds",
                    assertThrows(IllegalStateException.class, () -> scheduler.runUntilIdle(10))
                            .getMessage());
        }
    }

    @Test
    @DisplayName("removal closes an agent at once and it gets no further cycles; close closes the rest once")
    void removeAndClose() {
        final List<String> log = new ArrayList<>();
        final var scheduler = new DeterministicAgentScheduler(7);
        final var core = new LoggingAgent("core", log, 0);
        final var apply = new LoggingAgent("apply", log, 0);
        scheduler.add(core);
        scheduler.add(apply);
        scheduler.remove(core).join();
        scheduler.runRound();
        scheduler.close();
        scheduler.close();
        assertEquals(List.of("core.start", "apply.start", "core.close", "apply", "apply.close"), log);
        assertThrows(IllegalStateException.class, () -> scheduler.add(core));
    }
}
