package dev.spool.raft.internal.console;

import dev.spool.api.health.Health;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Formats health answers for the console: the member's first, then each group's by name, one line each,
 * {@code <subject>  healthy} or {@code <subject>  NOT SERVING  <cause>}, the subjects padded to one width so that
 * the verdicts line up.
 */
final class HealthReport {

    /** What the command prints when no health indicator is published at all. */
    static final String NO_INDICATOR = "no Spool health indicator is published: is the spool-raft feature started?";

    private HealthReport() {}

    /**
     * Formats answers.
     *
     * @param member the member's answer, or {@code null} if it is not published
     * @param groups the groups' answers by group name
     * @return the lines, separated by {@code '\n'}, without a trailing newline
     */
    static String format(Health member, Map<String, Health> groups) {
        if (member == null && groups.isEmpty()) {
            return NO_INDICATOR;
        }
        final List<String[]> rows = new ArrayList<>();
        if (member != null) {
            rows.add(row("member", member));
        }
        new TreeMap<>(groups).forEach((group, health) -> rows.add(row("group " + group, health)));
        final int width = rows.stream().mapToInt(row -> row[0].length()).max().orElse(0);
        final StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(row[0]).append(" ".repeat(width - row[0].length() + 2)).append(row[1]);
        }
        return out.toString();
    }

    private static String[] row(String subject, Health health) {
        return new String[] {subject, health.healthy() ? "healthy" : "NOT SERVING  " + health.cause()};
    }
}
