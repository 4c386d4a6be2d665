package dev.spool.raft.pipeline;

import java.util.concurrent.CompletableFuture;

/**
 * Runs agents: the member's {@link AgentRunner} threads in production, a seeded single-threaded scheduler in the
 * deterministic simulation. A group adds its agents when it starts and removes them when it stops; it never adds
 * a thread.
 *
 * <p>Any thread may call these methods; they are not meant for hot paths.
 */
public interface AgentHost {

    /**
     * Adds an agent. Its {@link Agent#onStart()} and then its duty cycles run on the thread the host picks.
     *
     * @param agent the agent, not already added
     * @return the signal that wakes the agent's thread: writers of the pointers the agent follows signal it
     * @throws IllegalStateException if the host is closed
     * @throws IllegalArgumentException if the agent was already added
     */
    WakeSignal add(Agent agent);

    /**
     * Removes an agent: no duty cycle of it starts after its {@link Agent#onClose()}, which runs on its thread.
     *
     * @param agent an added agent
     * @return completes once {@link Agent#onClose()} has returned
     * @throws IllegalStateException if the host is closed
     * @throws IllegalArgumentException if the agent is not added
     */
    CompletableFuture<Void> remove(Agent agent);
}
