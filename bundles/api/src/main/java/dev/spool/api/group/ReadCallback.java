package dev.spool.api.group;

/**
 * Learns that a read barrier passed: exactly one method is called, once.
 *
 * <p>Threads: the group's core thread, or the calling thread when the barrier is refused at once. Return quickly;
 * do not block. What it throws on the core thread is logged and otherwise ignored; on the calling thread it reaches
 * the caller.
 */
public interface ReadCallback {

    /**
     * The barrier passed: this member's state machine has applied every entry committed before the barrier was
     * taken (this member led the group then, or the leader confirmed the read index for it), so reading the state
     * machine now is linearizable.
     *
     * @param readIndex the commit index the barrier waited for
     */
    void readable(long readIndex);

    /**
     * The barrier did not pass: this member does not lead, lost leadership, or the deadline passed.
     *
     * @param error why
     */
    void failed(RaftGroupException error);
}
