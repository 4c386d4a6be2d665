package dev.spool.testing.lin;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides linearizability of a tiny single-key history by trying every subset of its pending operations
 * and every order of the chosen operations: no memoisation, no pruning, so it shares no shortcut with
 * {@link LinearizabilityChecker} and can judge it. Exponential; use it on a handful of operations only.
 */
final class BruteForceReference {
    private BruteForceReference() {}

    static boolean linearizable(List<Operation> history) {
        List<Operation> completed = history.stream().filter(op -> !op.pending()).toList();
        List<Operation> pending = history.stream().filter(Operation::pending).toList();
        for (int mask = 0; mask < 1 << pending.size(); mask++) {
            List<Operation> chosen = new ArrayList<>(completed);
            for (int i = 0; i < pending.size(); i++) {
                if ((mask & 1 << i) != 0) {
                    chosen.add(pending.get(i));
                }
            }
            if (someOrderWorks(chosen, 0)) {
                return true;
            }
        }
        return false;
    }

    private static boolean someOrderWorks(List<Operation> remaining, long value) {
        if (remaining.isEmpty()) {
            return true;
        }
        for (Operation next : remaining) {
            if (!mayGoFirst(next, remaining)) {
                continue;
            }
            Long after = apply(next, value);
            if (after == null) {
                continue;
            }
            List<Operation> rest = new ArrayList<>(remaining);
            rest.remove(next);
            if (someOrderWorks(rest, after)) {
                return true;
            }
        }
        return false;
    }

    /** No other remaining operation finished strictly before {@code op} started. */
    private static boolean mayGoFirst(Operation op, List<Operation> remaining) {
        for (Operation other : remaining) {
            if (other != op && other.returnTime() < op.invokeTime()) {
                return false;
            }
        }
        return true;
    }

    /** The register's value after {@code op}, or null if {@code op} cannot have returned what it did. */
    private static Long apply(Operation op, long value) {
        return switch (op.kind()) {
            case READ -> op.pending() || op.output() == value ? value : null;
            case WRITE -> op.input();
            case CAS -> {
                boolean matches = value == op.expected();
                if (op.pending()) {
                    yield matches ? op.input() : value;
                }
                if (matches != (op.output() == 1)) {
                    yield null;
                }
                yield matches ? op.input() : value;
            }
        };
    }
}
