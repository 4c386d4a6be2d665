package dev.spool.raft.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * Runs agents without threads, for the deterministic simulation: every call happens on the caller's thread, and
 * the order in which agents' duty cycles run comes from a seed, so a run is reproducible from its seed. Signals
 * are only counted: every round gives every agent a duty cycle anyway.
 *
 * <p>Single-threaded: the simulation's thread calls everything.
 */
public final class DeterministicAgentScheduler implements AgentHost, AutoCloseable {

    private final SplittableRandom random;
    private final List<Agent> agents = new ArrayList<>();
    private final Counter signals = new Counter("deterministic.signals");
    /** Every exception an agent's duty cycle threw, as its role name and the exception, in order. */
    private final List<String> errors = new ArrayList<>();

    private final WakeSignal signal = signals::increment;
    private Agent[] order = new Agent[0];
    private boolean closed;

    /**
     * Creates a scheduler.
     *
     * @param seed the seed of the duty-cycle order
     */
    public DeterministicAgentScheduler(long seed) {
        this.random = new SplittableRandom(seed);
    }

    @Override
    public WakeSignal add(Agent agent) {
        checkOpen();
        if (agents.contains(agent)) {
            throw new IllegalArgumentException("agent " + agent.roleName() + " is already added");
        }
        agent.onStart();
        agents.add(agent);
        return signal;
    }

    @Override
    public CompletableFuture<Void> remove(Agent agent) {
        checkOpen();
        if (!agents.remove(agent)) {
            throw new IllegalArgumentException("agent " + agent.roleName() + " is not added");
        }
        agent.onClose();
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Gives every agent one duty cycle, in an order drawn from the seed. An agent removed during the round by
     * another one still gets no cycle after its removal.
     *
     * @return the work the agents reported
     */
    public int runRound() {
        order = agents.toArray(order);
        final int count = agents.size();
        for (int i = count - 1; i > 0; i--) {
            final int j = random.nextInt(i + 1);
            final Agent swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        int work = 0;
        for (int i = 0; i < count; i++) {
            if (agents.contains(order[i])) {
                work += doWork(order[i]);
            }
        }
        return work;
    }

    /** Runs one agent's duty cycle as a runner does: what it throws goes to its {@link Agent#onError}, once. */
    private int doWork(Agent agent) {
        try {
            return agent.doWork();
        } catch (Exception error) {
            errors.add(agent.roleName() + ": " + error);
            try {
                agent.onError(error);
            } catch (Exception unhandled) {
                throw new IllegalStateException(agent.roleName() + " failed", unhandled); // the simulation stops
            }
            return 0;
        }
    }

    /**
     * Returns what the agents' duty cycles threw: a simulation that injects no storage fault expects none, since an
     * agent's exception fails its group even if a restart hides it afterwards.
     *
     * @return each exception with its agent's role name, in order
     */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    /**
     * Runs rounds until one does no work.
     *
     * @param maxRounds the most rounds to run
     * @return the number of rounds run, the idle one included
     * @throws IllegalStateException if the agents still work after {@code maxRounds} rounds (a livelock)
     */
    public int runUntilIdle(int maxRounds) {
        for (int round = 1; round <= maxRounds; round++) {
            if (runRound() == 0) {
                return round;
            }
        }
        throw new IllegalStateException("agents still busy after " + maxRounds + " rounds");
    }

    /**
     * Returns how often writers signalled the agents.
     *
     * @return the counter
     */
    public Counter signals() {
        return signals;
    }

    /** Closes every agent, in the order they were added. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Agent agent : agents) {
            agent.onClose();
        }
        agents.clear();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("scheduler is closed");
        }
    }
}
