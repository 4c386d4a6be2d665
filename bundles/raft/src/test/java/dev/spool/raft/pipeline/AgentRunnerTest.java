package dev.spool.raft.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60) // a hang guard, not a timing assertion
class AgentRunnerTest {

    private static final long HOUR = 3_600_000_000_000L;

    private final Set<String> errors = ConcurrentHashMap.newKeySet();

    private AgentRunner start(long maxParkNanos) {
        return AgentRunner.start("member", 2, maxParkNanos, (agent, e) -> errors.add(agent.roleName() + ": " + e));
    }

    /** An agent that works a fixed number of cycles and records how it was driven. */
    private static final class CountingAgent implements Agent {
        final String role;
        final int cyclesOfWork;
        final CountDownLatch done;
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        final AtomicInteger starts = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();
        final AtomicInteger cyclesAfterClose = new AtomicInteger();
        int cycles;

        CountingAgent(String role, int cyclesOfWork, CountDownLatch done) {
            this.role = role;
            this.cyclesOfWork = cyclesOfWork;
            this.done = done;
        }

        @Override
        public void onStart() {
            threads.add(Thread.currentThread());
            starts.incrementAndGet();
        }

        @Override
        public int doWork() {
            threads.add(Thread.currentThread());
            if (closes.get() > 0) {
                cyclesAfterClose.incrementAndGet();
            }
            if (cycles == cyclesOfWork) {
                return 0;
            }
            if (++cycles == cyclesOfWork) {
                done.countDown();
            }
            return 1;
        }

        @Override
        public void onClose() {
            threads.add(Thread.currentThread());
            closes.incrementAndGet();
        }

        @Override
        public String roleName() {
            return role;
        }
    }

    @Test
    @DisplayName("many agents run on two threads, each agent always on the same one")
    void manyAgentsOnTwoThreads() throws Exception {
        final var done = new CountDownLatch(50);
        final var agents = new ArrayList<CountingAgent>();
        try (var runner = start(1_000_000)) {
            for (int i = 0; i < 50; i++) {
                final var agent = new CountingAgent("group-" + i, 1000, done);
                agents.add(agent);
                runner.add(agent);
            }
            done.await();
        }
        final Set<Thread> all = new HashSet<>();
        for (CountingAgent agent : agents) {
            assertEquals(1, agent.threads.size(), agent.role + " ran on one thread");
            all.addAll(agent.threads);
            assertEquals(1, agent.starts.get());
            assertEquals(1, agent.closes.get());
        }
        assertEquals(2, all.size(), "agents are spread over both threads, and only those");
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    @DisplayName("agents added and removed while running start once, close once, and never run after closing")
    void addAndRemoveWhileRunning() throws Exception {
        final List<CountingAgent> agents = new ArrayList<>();
        final var runner = start(100_000);
        final var firstDone = new CountDownLatch(20);
        for (int i = 0; i < 20; i++) {
            final var agent = new CountingAgent("first-" + i, Integer.MAX_VALUE, firstDone);
            agents.add(agent);
            runner.add(agent);
        }
        for (int i = 0; i < 20; i += 2) {
            runner.remove(agents.get(i)).get();
            assertEquals(1, agents.get(i).closes.get(), "onClose ran before the removal completed");
        }
        final var secondDone = new CountDownLatch(10);
        for (int i = 0; i < 10; i++) {
            final var agent = new CountingAgent("second-" + i, 100, secondDone);
            agents.add(agent);
            runner.add(agent);
        }
        secondDone.await();
        runner.close();
        runner.close();
        for (CountingAgent agent : agents) {
            assertEquals(1, agent.starts.get(), agent.role);
            assertEquals(1, agent.closes.get(), agent.role);
            assertEquals(0, agent.cyclesAfterClose.get(), agent.role);
            assertEquals(1, agent.threads.size(), agent.role);
        }
        assertThrows(IllegalStateException.class, () -> runner.add(agents.get(0)));
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    @DisplayName("an agent is added once, and only an added agent can be removed")
    void addRemoveMisuse() {
        try (var runner = start(1_000_000)) {
            final var agent = new CountingAgent("a", 1, new CountDownLatch(1));
            runner.add(agent);
            assertThrows(IllegalArgumentException.class, () -> runner.add(agent));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> runner.remove(new CountingAgent("b", 1, new CountDownLatch(1))));
        }
    }

    @Test
    @DisplayName("an idle thread parks, and a writer's signal wakes it to follow the pointer")
    void signalWakesParkedThread() throws Exception {
        final var pointer = new Sequence("flushed", 0);
        final var seen = new AtomicLong();
        final var reached = new CountDownLatch(1);
        try (var runner = AgentRunner.start("member", 1, HOUR, (a, e) -> errors.add(e.toString()))) {
            final WakeSignal signal = runner.add(new Agent() {
                @Override
                public int doWork() {
                    final long value = pointer.get();
                    if (value == seen.get()) {
                        return 0;
                    }
                    seen.set(value);
                    if (value == 3) {
                        reached.countDown();
                    }
                    return 1;
                }

                @Override
                public String roleName() {
                    return "apply";
                }
            });
            for (long value = 1; value <= 3; value++) {
                while (runner.parks(0).get() < value) {
                    Thread.onSpinWait(); // it parks once at start and once after each value: wait until idle again
                }
                pointer.set(value);
                signal.signal();
            }
            reached.await();
            assertTrue(runner.wakeups(0).get() >= 1, "at least one signal found the thread parked");
        }
        assertEquals(3, seen.get());
    }

    @Test
    @DisplayName("an agent's exception goes to the error handler and the agents keep running")
    void errorsAreReported() throws Exception {
        final var done = new CountDownLatch(1);
        final var failures = new AtomicInteger();
        final var healthy = new CountingAgent("healthy", 1000, done);
        try (var runner = start(1_000_000)) {
            runner.add(new Agent() {
                @Override
                public int doWork() {
                    if (failures.incrementAndGet() <= 3) {
                        throw new IllegalStateException("broken");
                    }
                    return 0;
                }

                @Override
                public String roleName() {
                    return "faulty";
                }
            });
            runner.add(healthy);
            done.await();
            while (runner.errors().get() < 3) {
                Thread.onSpinWait();
            }
            assertEquals(3, runner.errors().get());
        }
        assertEquals(Set.of("faulty: java.lang.IllegalStateException: broken"), errors);
        assertEquals(1, healthy.closes.get());
    }

    @Test
    @DisplayName("an agent that handles its own exceptions hears each once, on its thread; the error handler hears"
            + " only what it throws back and every Error")
    void agentsHandleTheirExceptions() throws Exception {
        final var handled = new CopyOnWriteArrayList<String>();
        final var cycles = new AtomicInteger();
        try (var runner = start(1_000_000)) {
            runner.add(new Agent() {
                private Thread thread;

                @Override
                public int doWork() throws Exception {
                    thread = Thread.currentThread();
                    switch (cycles.incrementAndGet()) {
                        case 1 -> throw new IOException("disk");
                        case 2 -> throw new IllegalStateException("rethrown");
                        case 3 -> throw new AssertionError("an error");
                        default -> {
                            return 0;
                        }
                    }
                }

                @Override
                public void onError(Exception error) throws Exception {
                    assertSame(thread, Thread.currentThread(), "on the agent's thread");
                    handled.add(error.getMessage());
                    if (error instanceof IllegalStateException) {
                        throw error;
                    }
                }

                @Override
                public String roleName() {
                    return "self-handling";
                }
            });
            while (runner.errors().get() < 2) {
                Thread.onSpinWait();
            }
        }
        assertEquals(List.of("disk", "rethrown"), handled, "each exception once, no Error");
        assertEquals(
                Set.of(
                        "self-handling: java.lang.IllegalStateException: rethrown",
                        "self-handling: java.lang.AssertionError: an error"),
                errors);
    }

    @Test
    @DisplayName("an agent whose start fails never runs, is closed once, and can still be removed")
    void failedStart() throws Exception {
        final var closes = new AtomicInteger();
        final var cycles = new AtomicInteger();
        final Agent agent = new Agent() {
            @Override
            public void onStart() {
                throw new IllegalStateException("no journal");
            }

            @Override
            public int doWork() {
                cycles.incrementAndGet();
                return 0;
            }

            @Override
            public void onClose() {
                closes.incrementAndGet();
            }

            @Override
            public String roleName() {
                return "log";
            }
        };
        try (var runner = start(1_000_000)) {
            runner.add(agent);
            assertNull(runner.remove(agent).get());
        }
        assertEquals(1, closes.get());
        assertEquals(0, cycles.get());
        assertEquals(Set.of("log: java.lang.IllegalStateException: no journal"), errors);
    }

    @Test
    @DisplayName("agents of one thread share its wake signal; the runner needs a thread and a park time")
    void placementAndConfiguration() {
        try (var runner = AgentRunner.start("member", 1, 1_000_000, (a, e) -> {})) {
            final WakeSignal first = runner.add(new CountingAgent("a", 1, new CountDownLatch(1)));
            final WakeSignal second = runner.add(new CountingAgent("b", 1, new CountDownLatch(1)));
            assertSame(first, second);
        }
        assertThrows(IllegalArgumentException.class, () -> AgentRunner.start("m", 0, 1, (a, e) -> {}));
        assertFalse(errors.iterator().hasNext());
    }
}
