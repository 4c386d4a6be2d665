package dev.spool.api.spi.journal;

import java.io.IOException;
import java.util.Optional;

/**
 * The durable current term and vote of one Raft member of one group. Every update is forced to disk before it
 * returns, whatever the durability of the member's journal, so no vote is ever given twice in a term across a crash
 * or a power loss. A torn update leaves the previous value readable.
 *
 * <p>The store also records the machine's boot identity (on Linux {@code /proc/sys/kernel/random/boot_id}) that
 * the last update was made under.
 *
 * <p>Threads: any thread may read; one thread at a time updates.
 */
public interface TermStore extends AutoCloseable {

    /**
     * Returns the current term (0 for a new store).
     *
     * @return the term
     */
    long term();

    /**
     * Returns the member voted for in the current term, if any.
     *
     * @return the vote
     */
    Optional<String> votedFor();

    /**
     * Returns the boot identity the last update was made under ({@code ""} for a new store).
     *
     * @return the boot identity
     */
    String bootId();

    /**
     * Stores a term and a vote, forced to disk before this returns.
     *
     * @param term the new term, not below {@link #term()}
     * @param votedFor the member voted for in that term, or {@code null}
     * @throws IllegalArgumentException if the term goes backwards, or the vote changes within a term
     * @throws IOException if the store cannot be written or forced
     */
    void update(long term, String votedFor) throws IOException;

    /** Releases the store's file and lock. Idempotent. */
    @Override
    void close() throws IOException;
}
