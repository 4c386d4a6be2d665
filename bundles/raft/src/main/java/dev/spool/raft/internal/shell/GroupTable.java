package dev.spool.raft.internal.shell;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Formats group statuses as a table for the console: a header line, then one line per group sorted by name, columns
 * separated by at least two spaces and left-aligned, so both people and scripts (split on whitespace) can read it.
 * A missing leader shows as {@value #NO_LEADER}.
 */
final class GroupTable {

    /** What the leader column shows while no leader is known. */
    static final String NO_LEADER = "-";

    /** What the command prints when this member has no group. */
    static final String NO_GROUPS = "no Raft groups";

    private static final List<String> HEADER = List.of("group", "member", "role", "leader", "term", "commit",
        "applied");

    private GroupTable() {
    }

    /**
     * Formats statuses.
     *
     * @param statuses the groups' statuses, in any order
     * @return the table, lines separated by {@code '\n'}, without a trailing newline
     */
    static String format(List<GroupStatus> statuses) {
        if (statuses.isEmpty()) {
            return NO_GROUPS;
        }
        final List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        statuses.stream().sorted(Comparator.comparing(GroupStatus::group)).map(GroupTable::cells).forEach(rows::add);
        final int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int column = 0; column < widths.length; column++) {
                widths[column] = Math.max(widths[column], row.get(column).length());
            }
        }
        final StringBuilder table = new StringBuilder();
        for (List<String> row : rows) {
            if (table.length() > 0) {
                table.append('\n');
            }
            final StringBuilder line = new StringBuilder();
            for (int column = 0; column < widths.length; column++) {
                final String cell = row.get(column);
                line.append(cell).append(" ".repeat(widths[column] - cell.length() + 2));
            }
            table.append(line.toString().stripTrailing());
        }
        return table.toString();
    }

    private static List<String> cells(GroupStatus status) {
        return List.of(status.group(), status.member(), status.role().name(),
            status.leader() == null ? NO_LEADER : status.leader(), Long.toString(status.term()),
            Long.toString(status.commit()), Long.toString(status.applied()));
    }
}
