package dev.spool.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * A table for the console: a header line, then one line per row, columns left-aligned and separated by at least two
 * spaces, so both people and scripts (split on whitespace) can read it. A missing value shows as {@value #NONE}.
 */
final class Table {

    /** What a cell without a value shows. */
    static final String NONE = "-";

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... header) {
        this.header = List.of(header);
    }

    /**
     * Adds a row.
     *
     * @param cells one value per column; {@code null} shows as {@value #NONE}
     * @return this table
     */
    Table row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + header.size() + " columns");
        }
        final List<String> row = new ArrayList<>(cells.length);
        for (Object cell : cells) {
            row.add(cell == null ? NONE : cell.toString());
        }
        rows.add(row);
        return this;
    }

    /** @return the table, lines separated by {@code '\n'}, without a trailing newline */
    @Override
    public String toString() {
        final int[] widths = new int[header.size()];
        final List<List<String>> lines = new ArrayList<>(rows.size() + 1);
        lines.add(header);
        lines.addAll(rows);
        for (List<String> line : lines) {
            for (int column = 0; column < widths.length; column++) {
                widths[column] = Math.max(widths[column], line.get(column).length());
            }
        }
        final StringBuilder table = new StringBuilder();
        for (List<String> line : lines) {
            if (table.length() > 0) {
                table.append('\n');
            }
            final StringBuilder text = new StringBuilder();
            for (int column = 0; column < widths.length; column++) {
                final String cell = line.get(column);
                text.append(cell).append(" ".repeat(widths[column] - cell.length() + 2));
            }
            table.append(text.toString().stripTrailing());
        }
        return table.toString();
    }
}
