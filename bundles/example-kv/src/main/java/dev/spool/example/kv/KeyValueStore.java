package dev.spool.example.kv;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A replicated map of strings: writes go through the Raft group's log and apply on every member; reads are
 * linearizable (a read barrier on the leader, then the local map).
 *
 * <p>Threads: any thread. The returned stages complete on the group's threads: chain only quick, non-blocking work
 * on them (or use the async variants with an executor).
 */
public interface KeyValueStore {

    /**
     * Maps {@code key} to {@code value}.
     *
     * @param key the key
     * @param value the value
     * @return completes with the previous value, if any, once the write is committed and applied; fails with a
     *     {@link dev.spool.api.group.RaftGroupException} if it was refused or its outcome is unknown
     */
    CompletionStage<Optional<String>> put(String key, String value);

    /**
     * Removes {@code key}.
     *
     * @param key the key
     * @return completes with the removed value, if any, once the removal is committed and applied
     */
    CompletionStage<Optional<String>> remove(String key);

    /**
     * Reads {@code key} linearizably: the result reflects every write that completed before this call.
     *
     * @param key the key
     * @return completes with the value, if any; fails if this member does not lead the group
     */
    CompletionStage<Optional<String>> get(String key);

    /**
     * Returns how many keys the local replica holds, without a read barrier.
     *
     * @return the local size
     */
    int localSize();
}
