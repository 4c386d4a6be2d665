package dev.spool.raft.pipeline;

/**
 * A task of the pipeline as a duty cycle (Agrona's {@code Agent}): the core, a log task, a replication task, an
 * apply task. An {@link AgentHost} calls every method of one agent on one thread — the same thread for the agent's
 * whole life — so an agent needs no locks for its own state. An agent shares its thread with others and must not
 * block: it does what its pointers allow, returns, and is called again.
 */
public interface Agent {

    /** Called once, on the agent's thread, before its first {@link #doWork()}. */
    default void onStart() {
    }

    /**
     * Does some work, bounded so that the other agents of the thread get their turn.
     *
     * @return how much work was done (entries, messages); 0 means "nothing to do", and when every agent of a
     *     thread returns 0 the thread parks until a signal or its park timeout
     */
    int doWork();

    /** Called once, on the agent's thread, after its last {@link #doWork()}: on removal or when the host closes. */
    default void onClose() {
    }

    /**
     * Names the agent's role, for thread dumps, errors and reports.
     *
     * @return e.g. {@code "group-1/apply"}
     */
    String roleName();
}
