package dev.spool.testing.lin;

import java.util.Objects;

/**
 * One client operation on one key of a register-per-key map (initial value of every key: 0).
 *
 * <p>{@code input}: the value a WRITE stores, or the new value of a CAS; {@code expected}: the value a
 * CAS compares against (0 for the other kinds); {@code output}: for a READ the value read, for a CAS 1
 * if it succeeded and 0 if not, for a WRITE 0 (ignored). An operation whose {@code returnTime} is
 * {@link #PENDING} has an unknown outcome: it may or may not have taken effect, and its output is
 * ignored. Operation A precedes operation B in real time when A returned strictly before B was invoked;
 * an operation that returns at the instant another is invoked is concurrent with it.
 *
 * <p>Immutable; the constructor rejects an operation that cannot have happened.
 */
public record Operation(
        int client, String key, OpKind kind, long input, long expected, long output, long invokeTime, long returnTime) {

    /** The {@code returnTime} of an operation whose outcome is unknown. */
    public static final long PENDING = Long.MAX_VALUE;

    public Operation {
        Objects.requireNonNull(key, "key");
        if (kind == null) {
            throw new IllegalArgumentException("operation of client " + client + " on key '" + key + "' invoked at "
                    + invokeTime + " has no kind (expected one of READ, WRITE, CAS)");
        }
        if (returnTime < invokeTime) {
            throw new IllegalArgumentException("operation of client " + client + " on key '" + key + "' (" + kind
                    + ") returns at " + returnTime + ", before it was invoked at " + invokeTime);
        }
        if (kind == OpKind.CAS && returnTime != PENDING && output != 0 && output != 1) {
            throw new IllegalArgumentException("CAS of client " + client + " on key '" + key + "' invoked at "
                    + invokeTime + " has output " + output + " (expected 1 for success or 0 for failure)");
        }
    }

    /** Whether the outcome is unknown: the operation may or may not have taken effect. */
    public boolean pending() {
        return returnTime == PENDING;
    }

    /** A one-line description for failure reports, e.g. {@code client 2 CAS(k, 3->4) -> ok [10, 17]}. */
    @Override
    public String toString() {
        String call = switch (kind) {
            case READ -> "READ(" + key + ")";
            case WRITE -> "WRITE(" + key + ", " + input + ")";
            case CAS -> "CAS(" + key + ", " + expected + "->" + input + ")";
        };
        String outcome;
        if (pending()) {
            outcome = "outcome unknown";
        } else {
            outcome = switch (kind) {
                case READ -> "-> " + output;
                case WRITE -> "-> ok";
                case CAS -> output == 1 ? "-> ok" : "-> failed";
            };
        }
        String interval = "[" + invokeTime + ", " + (pending() ? "pending" : Long.toString(returnTime)) + "]";
        return "client " + client + " " + call + " " + outcome + " " + interval;
    }
}
