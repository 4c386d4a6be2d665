package dev.spool.itests.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * The register operations clients made on the cluster, each with when it was invoked and when it completed (on this
 * JVM's {@link System#nanoTime} clock, which every client shares), for the linearizability checker. An operation
 * whose outcome the client did not learn stays pending: it may or may not have taken effect. Thread-safe.
 */
final class RegisterHistory {

    /** What a register operation does. */
    enum Kind {
        READ, WRITE, CAS
    }

    /**
     * One operation.
     *
     * @param client the client that made it
     * @param key the register's key
     * @param kind what it does
     * @param input the value a write or compare-and-set writes (0 for a read)
     * @param expected the value a compare-and-set expects (0 otherwise)
     * @param output a read's value; a compare-and-set's 1 if it wrote, 0 if not; 0 for a write
     * @param invokeNanos when the client sent it
     * @param completeNanos when the client heard its outcome, {@link #PENDING} if it never did
     */
    record Op(int client, int key, Kind kind, long input, long expected, long output, long invokeNanos,
              long completeNanos) {
    }

    /** The completion time of an operation whose outcome is unknown. */
    static final long PENDING = Long.MAX_VALUE;

    private final List<Op> operations = new ArrayList<>();

    /**
     * Records an operation whose outcome is known.
     *
     * @param op the operation
     */
    synchronized void completed(Op op) {
        operations.add(op);
    }

    /**
     * Records an operation whose outcome the client did not learn.
     *
     * @param client the client
     * @param key the register's key
     * @param kind a write or compare-and-set (a read without an outcome changed nothing and is not recorded)
     * @param input the value written
     * @param expected the value a compare-and-set expects
     * @param invokeNanos when the client sent it
     */
    synchronized void pending(int client, int key, Kind kind, long input, long expected, long invokeNanos) {
        operations.add(new Op(client, key, kind, input, expected, 0, invokeNanos, PENDING));
    }

    /** @return the operations recorded so far */
    synchronized List<Op> operations() {
        return List.copyOf(operations);
    }

    /** @return how many operations completed with a known outcome, and how many are pending */
    synchronized String describe() {
        final long pending = operations.stream().filter(op -> op.completeNanos() == PENDING).count();
        final long reads = operations.stream().filter(op -> op.kind() == Kind.READ).count();
        final long cas = operations.stream().filter(op -> op.kind() == Kind.CAS).count();
        return operations.size() + " register operations (" + reads + " reads, " + cas + " compare-and-set, "
            + pending + " with unknown outcome) on " + operations.stream().mapToInt(Op::key).distinct().count()
            + " keys";
    }
}
