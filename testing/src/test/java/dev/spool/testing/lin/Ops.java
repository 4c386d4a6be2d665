package dev.spool.testing.lin;

import static dev.spool.testing.lin.Operation.PENDING;

/** Short constructors of operations, so test histories read like timelines. */
final class Ops {
    private Ops() {}

    static Operation write(int client, String key, long value, long invoke, long ret) {
        return new Operation(client, key, OpKind.WRITE, value, 0, 0, invoke, ret);
    }

    static Operation read(int client, String key, long seen, long invoke, long ret) {
        return new Operation(client, key, OpKind.READ, 0, 0, seen, invoke, ret);
    }

    static Operation cas(int client, String key, long expected, long value, boolean succeeded, long invoke, long ret) {
        return new Operation(client, key, OpKind.CAS, value, expected, succeeded ? 1 : 0, invoke, ret);
    }

    static Operation pendingWrite(int client, String key, long value, long invoke) {
        return new Operation(client, key, OpKind.WRITE, value, 0, 0, invoke, PENDING);
    }

    static Operation pendingCas(int client, String key, long expected, long value, long invoke) {
        return new Operation(client, key, OpKind.CAS, value, expected, 0, invoke, PENDING);
    }

    static Operation pendingRead(int client, String key, long invoke) {
        return new Operation(client, key, OpKind.READ, 0, 0, 0, invoke, PENDING);
    }
}
