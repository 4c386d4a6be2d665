package dev.spool.itests.cluster;

import dev.spool.testing.lin.CheckResult;
import dev.spool.testing.lin.LinearizabilityChecker;
import dev.spool.testing.lin.OpKind;
import dev.spool.testing.lin.Operation;
import java.util.ArrayList;
import java.util.List;

/**
 * The register operations clients made on the cluster, each with when it was invoked and when it completed (on this
 * JVM's {@link System#nanoTime} clock, which every client shares), checked by the {@link LinearizabilityChecker}. An
 * operation whose outcome the client did not learn stays pending: it may or may not have taken effect.
 * Thread-safe.
 */
final class RegisterHistory {

    private final List<Operation> operations = new ArrayList<>();

    /**
     * Records an operation whose outcome is known.
     *
     * @param client the client that made it
     * @param key the register's key
     * @param kind what it does
     * @param input the value a write or compare-and-set writes (0 for a read)
     * @param expected the value a compare-and-set expects (0 otherwise)
     * @param output a read's value; a compare-and-set's 1 if it wrote, 0 if not; 0 for a write
     * @param invokeNanos when the client sent it
     * @param completeNanos when the client heard its outcome
     */
    synchronized void completed(
            int client,
            int key,
            OpKind kind,
            long input,
            long expected,
            long output,
            long invokeNanos,
            long completeNanos) {
        operations.add(new Operation(
                client, Integer.toString(key), kind, input, expected, output, invokeNanos, completeNanos));
    }

    /**
     * Records an operation whose outcome the client did not learn (a read without an outcome changed nothing and
     * is not recorded).
     *
     * @param client the client
     * @param key the register's key
     * @param kind a write or compare-and-set
     * @param input the value written
     * @param expected the value a compare-and-set expects
     * @param invokeNanos when the client sent it
     */
    synchronized void pending(int client, int key, OpKind kind, long input, long expected, long invokeNanos) {
        operations.add(
                new Operation(client, Integer.toString(key), kind, input, expected, 0, invokeNanos, Operation.PENDING));
    }

    /**
     * Checks the history for linearizability.
     *
     * @return the checker's verdict
     */
    synchronized CheckResult check() {
        return LinearizabilityChecker.check(List.copyOf(operations));
    }

    /** @return how many operations of which kinds were recorded, and on how many keys */
    synchronized String describe() {
        final long pending = operations.stream().filter(Operation::pending).count();
        final long reads =
                operations.stream().filter(op -> op.kind() == OpKind.READ).count();
        final long cas =
                operations.stream().filter(op -> op.kind() == OpKind.CAS).count();
        return operations.size() + " register operations (" + reads + " reads, " + cas + " compare-and-set, "
                + pending + " with unknown outcome) on "
                + operations.stream().map(Operation::key).distinct().count()
                + " keys";
    }
}
