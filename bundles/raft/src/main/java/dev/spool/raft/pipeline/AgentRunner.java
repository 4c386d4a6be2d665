package dev.spool.raft.pipeline;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiConsumer;

/**
 * The member's agent threads: a small fixed set shared by all its groups. Each agent is pinned to one thread (the
 * one with the fewest agents when it is added), so every agent runs single-threaded. A thread runs duty cycles over
 * its agents; when none of them did any work it parks on its {@link ParkingSignal} until a writer signals a pointer
 * one of them follows, or until {@code maxParkNanos} pass, so that agents driven by time (election timeouts,
 * heartbeats) advance without a signal.
 *
 * <p>Agents are added and removed while the threads run: the change is queued to the agent's thread, which
 * applies it between two duty cycles — calling {@link Agent#onStart()} or {@link Agent#onClose()} itself — so its
 * array of agents is confined to it and the duty cycle reads no shared structure and allocates nothing.
 *
 * <p>{@link #add}, {@link #remove} and {@link #close} may be called from any thread, including an agent's.
 */
public final class AgentRunner implements AgentHost, AutoCloseable {

    private static final Agent[] NO_AGENTS = new Agent[0];

    private final AgentThread[] threads;
    private final long maxParkNanos;
    private final BiConsumer<Agent, Throwable> errorHandler;
    private final Counter errors;
    /** Which thread runs each added agent. Guarded by {@code this}. */
    private final Map<Agent, AgentThread> placement = new IdentityHashMap<>();
    /** Guarded by {@code this}. */
    private boolean closed;

    private AgentRunner(String name, int threadCount, long maxParkNanos, BiConsumer<Agent, Throwable> errorHandler) {
        this.maxParkNanos = maxParkNanos;
        this.errorHandler = errorHandler;
        this.errors = new Counter(name + ".errors");
        this.threads = new AgentThread[threadCount];
        for (int i = 0; i < threadCount; i++) {
            threads[i] = new AgentThread(name + '-' + i);
        }
    }

    /**
     * Creates a runner and starts its threads.
     *
     * @param name the runner's name, a prefix of its threads' names
     * @param threadCount how many threads, at least 1
     * @param maxParkNanos the longest an idle thread parks before its agents' next duty cycle, at least 1
     * @param errorHandler told of every exception an agent throws, on the agent's thread; the agent keeps running
     * @return the running runner
     * @throws IllegalArgumentException if {@code threadCount} or {@code maxParkNanos} is below 1
     */
    public static AgentRunner start(
            String name, int threadCount, long maxParkNanos, BiConsumer<Agent, Throwable> errorHandler) {
        if (threadCount < 1 || maxParkNanos < 1) {
            throw new IllegalArgumentException(name + ": needs at least 1 thread and a park time of at least 1 ns,"
                    + " not " + threadCount + " threads and " + maxParkNanos + " ns");
        }
        final var runner = new AgentRunner(name, threadCount, maxParkNanos, errorHandler);
        for (AgentThread thread : runner.threads) {
            thread.thread.start();
        }
        return runner;
    }

    @Override
    public synchronized WakeSignal add(Agent agent) {
        checkOpen();
        if (placement.containsKey(agent)) {
            throw new IllegalArgumentException("agent " + agent.roleName() + " is already added");
        }
        AgentThread target = threads[0];
        for (AgentThread thread : threads) {
            if (thread.assigned < target.assigned) {
                target = thread;
            }
        }
        target.assigned++;
        placement.put(agent, target);
        target.post(new Change(agent, true, null));
        return target.signal;
    }

    @Override
    public synchronized CompletableFuture<Void> remove(Agent agent) {
        checkOpen();
        final AgentThread thread = placement.remove(agent);
        if (thread == null) {
            throw new IllegalArgumentException("agent " + agent.roleName() + " is not added");
        }
        thread.assigned--;
        final var closed = new CompletableFuture<Void>();
        thread.post(new Change(agent, false, closed));
        return closed;
    }

    /**
     * Stops the threads: each closes its agents, then ends. Waits for them to end, unless called from one of them
     * (an agent closing the runner), or interrupted (then it returns at once with the interrupt flag set).
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            placement.clear();
            for (AgentThread thread : threads) {
                thread.stop();
            }
        }
        for (AgentThread thread : threads) {
            if (thread.thread == Thread.currentThread()) {
                continue;
            }
            try {
                thread.thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Returns the number of threads.
     *
     * @return the thread count given at start
     */
    public int threadCount() {
        return threads.length;
    }

    /**
     * Returns how often a thread parked for lack of work.
     *
     * @param thread the thread's number, 0 to {@link #threadCount()} - 1
     * @return the counter; any thread may read it
     */
    public Counter parks(int thread) {
        return threads[thread].signal.parks();
    }

    /**
     * Returns how often a signal unparked a thread.
     *
     * @param thread the thread's number, 0 to {@link #threadCount()} - 1
     * @return the counter; any thread may read it
     */
    public Counter wakeups(int thread) {
        return threads[thread].signal.wakeups();
    }

    /**
     * Returns the number of exceptions agents threw.
     *
     * @return the counter; any thread may read it
     */
    public Counter errors() {
        return errors;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("agent runner is closed");
        }
    }

    /** The one place an agent's failure is handled: the agent's own {@link Agent#onError}, else the host's. */
    private void handleError(Agent agent, Exception error) {
        try {
            agent.onError(error);
        } catch (Throwable unhandled) {
            reportError(agent, unhandled);
        }
    }

    private void reportError(Agent agent, Throwable error) {
        errors.increment();
        errorHandler.accept(agent, error);
    }

    /** An agent to start or close on its thread; {@code closed} completes after a removal. */
    private record Change(Agent agent, boolean add, CompletableFuture<Void> closed) {}

    /** One thread and the agents pinned to it. */
    private final class AgentThread implements Runnable {

        final ParkingSignal signal;
        final Thread thread;
        final ConcurrentLinkedQueue<Change> changes = new ConcurrentLinkedQueue<>();
        /** How many agents are placed on this thread. Guarded by the runner. */
        int assigned;

        private volatile boolean running = true;
        /** The agents this thread runs. Confined to the thread. */
        private Agent[] agents = NO_AGENTS;

        AgentThread(String name) {
            this.signal = new ParkingSignal(name);
            this.thread = new Thread(this, name);
            thread.setDaemon(true);
        }

        void post(Change change) {
            changes.add(change);
            signal.signal();
        }

        void stop() {
            running = false;
            signal.signal();
        }

        @Override
        public void run() {
            try {
                while (true) {
                    signal.beginCycle();
                    if (!running) {
                        break;
                    }
                    if (!changes.isEmpty()) {
                        applyChanges();
                    }
                    if (dutyCycle() == 0) {
                        signal.parkUnlessSignalled(maxParkNanos);
                        Thread.interrupted(); // an interrupt is no way to stop agents: close() is
                    }
                }
            } finally {
                applyChanges();
                for (Agent agent : agents) {
                    closeAgent(agent);
                }
                agents = NO_AGENTS;
            }
        }

        private int dutyCycle() {
            int work = 0;
            for (Agent agent : agents) {
                try {
                    work += agent.doWork();
                } catch (Exception e) {
                    handleError(agent, e);
                } catch (Throwable e) {
                    reportError(agent, e);
                }
            }
            return work;
        }

        private void applyChanges() {
            Change change;
            while ((change = changes.poll()) != null) {
                if (change.add()) {
                    startAgent(change.agent());
                } else {
                    if (without(change.agent())) {
                        closeAgent(change.agent());
                    }
                    change.closed().complete(null);
                }
            }
        }

        private void startAgent(Agent agent) {
            try {
                agent.onStart();
            } catch (Throwable e) {
                reportError(agent, e);
                closeAgent(agent); // never runs; a later remove() finds nothing to close
                return;
            }
            final Agent[] grown = Arrays.copyOf(agents, agents.length + 1);
            grown[agents.length] = agent;
            agents = grown;
        }

        /** Drops the agent from this thread's array; {@code false} if it was not there (its start failed). */
        private boolean without(Agent agent) {
            for (int i = 0; i < agents.length; i++) {
                if (agents[i] == agent) {
                    final Agent[] shrunk = new Agent[agents.length - 1];
                    System.arraycopy(agents, 0, shrunk, 0, i);
                    System.arraycopy(agents, i + 1, shrunk, i, agents.length - i - 1);
                    agents = shrunk;
                    return true;
                }
            }
            return false;
        }

        private void closeAgent(Agent agent) {
            try {
                agent.onClose();
            } catch (Throwable e) {
                reportError(agent, e);
            }
        }
    }
}
