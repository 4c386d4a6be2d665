package dev.spool.raft.core;

/**
 * A read-only view of a member's log as its storage holds it, which the core reads when it starts and when it sizes
 * replication messages. The journal-backed actor implements it over its journal and pipeline slots.
 *
 * <p>Threads: called only by the thread driving the core.
 */
public interface LogView {

    /**
     * Returns the index of the first entry held; {@code lastIndex() + 1} when the log is empty.
     *
     * @return the first index
     */
    long firstIndex();

    /**
     * Returns the index of the last entry held; {@code firstIndex() - 1} when the log is empty.
     *
     * @return the last index
     */
    long lastIndex();

    /**
     * Returns the term of an entry held.
     *
     * @param index an index in {@code firstIndex() .. lastIndex()}
     * @return its term
     */
    long term(long index);

    /**
     * Returns the size of the records {@code first .. last} as they are stored (what replicating them costs); entries
     * accepted but not yet written count for what is known of them.
     *
     * @param first the first index
     * @param last the last index, not below {@code first}
     * @return their size in bytes
     */
    long bytes(long first, long last);

    /**
     * Returns the highest index storage has room to accept now: a follower appends entries it receives only up to
     * it (it still truncates at a conflict beyond it, which frees room). The actor bounds it by its free entry
     * slots.
     *
     * @return the highest index that can be appended now; {@link Long#MAX_VALUE} when unbounded
     */
    default long appendLimit() {
        return Long.MAX_VALUE;
    }
}
