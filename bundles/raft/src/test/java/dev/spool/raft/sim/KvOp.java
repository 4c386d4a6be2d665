package dev.spool.raft.sim;

import dev.spool.testing.lin.OpKind;
import java.util.Map;

/**
 * A client operation on the simulated key-value state machine: a register per key, initially 0.
 *
 * @param historyId the operation's id in the recorded history
 * @param key the key
 * @param kind read, write or compare-and-set
 * @param input the value written, or the new value of a compare-and-set
 * @param expected the value a compare-and-set expects
 */
public record KvOp(int historyId, String key, OpKind kind, long input, long expected) {

    /**
     * Applies the operation to a state.
     *
     * @param state the key-value state, changed in place
     * @return the output: the value read, 1/0 for a compare-and-set that succeeded or not, 0 for a write
     */
    public long applyTo(Map<String, Long> state) {
        final long current = state.getOrDefault(key, 0L);
        switch (kind) {
            case READ:
                return current;
            case WRITE:
                state.put(key, input);
                return 0;
            default:
                if (current == expected) {
                    state.put(key, input);
                    return 1;
                }
                return 0;
        }
    }
}
