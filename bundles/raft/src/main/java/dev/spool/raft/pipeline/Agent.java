package dev.spool.raft.pipeline;

/**
 * A task of the pipeline as a duty cycle (Agrona's {@code Agent}): the core, a log task, a replication task, an
 * apply task. An {@link AgentHost} calls every method of one agent on one thread — the same thread for the agent's
 * whole life — so an agent needs no locks for its own state. An agent shares its thread with others and must not
 * block: it does what its pointers allow, returns, and is called again.
 *
 * <p>An agent may throw from {@link #doWork()}; its host hands what it threw to {@link #onError} once, the one place
 * the agent's failures are dealt with (an {@link Error} goes to the host's error handler), and goes on calling it.
 */
public interface Agent {

    /** Called once, on the agent's thread, before its first {@link #doWork()}. */
    default void onStart() {}

    /**
     * Does some work, bounded so that the other agents of the thread get their turn.
     *
     * @return how much work was done (entries, messages); 0 means "nothing to do", and when every agent of a
     *     thread returns 0 the thread parks until a signal or its park timeout
     * @throws Exception if the work failed: the host passes it to {@link #onError}
     */
    int doWork() throws Exception;

    /**
     * Deals with the exception {@link #doWork()} threw, on the agent's thread. By default the agent does not: it
     * throws the exception back, and the host reports it to its own error handler, as it does every {@link Error}.
     *
     * @param error what {@code doWork} threw
     * @throws Exception what the agent leaves to its host
     */
    default void onError(Exception error) throws Exception {
        throw error;
    }

    /** Called once, on the agent's thread, after its last {@link #doWork()}: on removal or when the host closes. */
    default void onClose() {}

    /**
     * Names the agent's role, for thread dumps, errors and reports.
     *
     * @return e.g. {@code "group-1/apply"}
     */
    String roleName();
}
