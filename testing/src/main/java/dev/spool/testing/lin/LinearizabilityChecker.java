package dev.spool.testing.lin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Decides whether a client history of a register-per-key map is linearizable.
 *
 * <p>Linearizability is compositional (P-compositionality): a history is linearizable iff every key's
 * sub-history is, so each key is searched on its own by a {@link KeySearch}. Each key's search explores
 * at most a bounded number of states; a key that needs more is reported as "search limit exceeded"
 * rather than left to run for hours.
 *
 * <p>Stateless; any thread may call it.
 */
public final class LinearizabilityChecker {

    /** Search states one key may enter by default before its search gives up undecided. */
    public static final long DEFAULT_STATE_LIMIT = 500_000;

    private LinearizabilityChecker() {}

    /** Checks {@code history} with {@link #DEFAULT_STATE_LIMIT} states per key. */
    public static CheckResult check(List<Operation> history) {
        return check(history, DEFAULT_STATE_LIMIT);
    }

    /**
     * Checks {@code history}, entering at most {@code stateLimitPerKey} search states per key. When several
     * keys fail, the first key (in key order) that is definitely not linearizable is reported; a key whose
     * search hit the limit is reported only if no key is definitely not linearizable.
     *
     * @throws IllegalArgumentException if the history contains a null operation or the limit is not positive
     */
    public static CheckResult check(List<Operation> history, long stateLimitPerKey) {
        Objects.requireNonNull(history, "history");
        if (stateLimitPerKey <= 0) {
            throw new IllegalArgumentException("state limit per key must be positive, was " + stateLimitPerKey);
        }
        Map<String, List<Operation>> byKey = new TreeMap<>();
        for (int i = 0; i < history.size(); i++) {
            Operation op = history.get(i);
            if (op == null) {
                throw new IllegalArgumentException("history contains a null operation at position " + i);
            }
            byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        long states = 0;
        String inconclusiveKey = null;
        KeySearch.Outcome inconclusive = null;
        for (Map.Entry<String, List<Operation>> entry : byKey.entrySet()) {
            KeySearch.Outcome outcome = KeySearch.search(entry.getValue(), stateLimitPerKey);
            states += outcome.statesExplored();
            switch (outcome.verdict()) {
                case NOT_LINEARIZABLE -> {
                    return new CheckResult(false, entry.getKey(), FailureReport.describe(entry.getKey(), outcome));
                }
                case LIMIT_EXCEEDED -> {
                    if (inconclusive == null) {
                        inconclusiveKey = entry.getKey();
                        inconclusive = outcome;
                    }
                }
                case LINEARIZABLE -> {}
            }
        }
        if (inconclusive != null) {
            return new CheckResult(false, inconclusiveKey, FailureReport.describe(inconclusiveKey, inconclusive));
        }
        return new CheckResult(
                true,
                null,
                "linearizable: " + history.size() + " operations on " + byKey.size() + " keys (" + states
                        + " search states explored)");
    }
}
