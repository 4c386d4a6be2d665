package dev.spool.testing.lin;

import java.util.List;

/** Writes the explanation of a failed key search for a human debugging the history. */
final class FailureReport {
    /** At most this many operations are listed per section; the rest are counted. */
    private static final int SHOWN = 20;

    private FailureReport() {}

    static String describe(String key, KeySearch.Outcome outcome) {
        StringBuilder out = new StringBuilder();
        if (outcome.verdict() == KeySearch.Verdict.LIMIT_EXCEEDED) {
            out.append("search limit exceeded for key '")
                    .append(key)
                    .append("' after ")
                    .append(outcome.statesExplored())
                    .append(" states: undecided, too many concurrent or pending")
                    .append(" operations to search exhaustively\n");
        } else {
            out.append("key '")
                    .append(key)
                    .append("' is not linearizable: no order of its ")
                    .append(outcome.completedOps())
                    .append(" completed operations");
            if (outcome.pendingOps() > 0) {
                out.append(" (with any of its ")
                        .append(outcome.pendingOps())
                        .append(" pending ones taking effect or not)");
            }
            out.append(" respects both real time and a register's semantics\n");
        }
        List<Operation> prefix = outcome.longestPrefix();
        out.append("longest linearizable prefix: ")
                .append(prefix.size())
                .append(" operations, value ")
                .append(outcome.valueAfterPrefix())
                .append(" after it\n");
        int skipped = Math.max(0, prefix.size() - SHOWN);
        if (skipped > 0) {
            out.append("  ... ").append(skipped).append(" earlier operations\n");
        }
        for (int i = skipped; i < prefix.size(); i++) {
            Operation op = prefix.get(i);
            out.append("  ").append(i + 1).append(". ").append(op);
            out.append(op.pending() ? ", taking effect here\n" : "\n");
        }
        List<Operation> unplaced = outcome.unplaced();
        out.append("completed operations that could not be placed after it, in invocation order:\n");
        for (int i = 0; i < Math.min(SHOWN, unplaced.size()); i++) {
            out.append("  ").append(unplaced.get(i)).append('\n');
        }
        if (unplaced.size() > SHOWN) {
            out.append("  ... and ").append(unplaced.size() - SHOWN).append(" more\n");
        }
        return out.toString();
    }
}
