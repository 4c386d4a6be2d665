package dev.spool.testing.lin;

import java.util.ArrayList;
import java.util.List;

/**
 * Records client operations as they are invoked and completed, for {@link LinearizabilityChecker}.
 * An operation never completed stays pending: its outcome is unknown.
 *
 * <p>Not thread-safe: the simulation thread that drives the clients calls it.
 */
public final class History {
    private final List<Operation> operations = new ArrayList<>();

    public History() {}

    /**
     * Records the invocation of an operation.
     *
     * @param input    the value a WRITE stores or the new value of a CAS (0 for a READ)
     * @param expected the value a CAS compares against (0 otherwise)
     * @return the id to pass to {@link #complete}
     */
    public int invoke(int client, String key, OpKind kind, long input, long expected, long time) {
        operations.add(new Operation(client, key, kind, input, expected, 0, time, Operation.PENDING));
        return operations.size() - 1;
    }

    /**
     * Records the outcome of an invoked operation.
     *
     * @param output READ: the value read; CAS: 1 if it succeeded, 0 if not; WRITE: 0
     * @throws IllegalArgumentException if {@code opId} was never returned by {@link #invoke}, the
     *                                  operation already completed, or {@code time} precedes its invocation
     */
    public void complete(int opId, long output, long time) {
        if (opId < 0 || opId >= operations.size()) {
            throw new IllegalArgumentException(
                    "no operation with id " + opId + " was invoked (" + operations.size() + " operations recorded)");
        }
        Operation op = operations.get(opId);
        if (!op.pending()) {
            throw new IllegalArgumentException("operation " + opId + " (" + op + ") already completed");
        }
        if (time == Operation.PENDING) {
            throw new IllegalArgumentException("operation " + opId + " (" + op + ") cannot complete at time " + time
                    + ": that value marks a pending operation");
        }
        operations.set(
                opId,
                new Operation(
                        op.client(), op.key(), op.kind(), op.input(), op.expected(), output, op.invokeTime(), time));
    }

    /** The operations recorded so far, in invocation order; a snapshot that later calls do not change. */
    public List<Operation> operations() {
        return List.copyOf(operations);
    }
}
