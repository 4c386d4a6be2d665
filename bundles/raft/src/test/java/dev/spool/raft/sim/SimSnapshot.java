package dev.spool.raft.sim;

import dev.spool.api.cluster.Membership;
import java.util.Map;

/**
 * A snapshot in a simulated snapshot store: the state machine's state after applying {@code index}.
 *
 * @param index the last index covered
 * @param term that entry's term
 * @param membership the membership in effect at {@code index}
 * @param state the key-value state (an immutable copy)
 * @param bytes the size the snapshot is said to have, which decides its number of chunks
 */
public record SimSnapshot(long index, long term, Membership membership, Map<String, Long> state, long bytes) {}
