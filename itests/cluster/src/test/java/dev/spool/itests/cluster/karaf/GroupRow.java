package dev.spool.itests.cluster.karaf;

import java.util.List;
import java.util.Optional;

/**
 * One group's line of {@code spool:groups}: {@code group member role leader term commit applied}, whitespace
 * separated, the leader {@code -} while none is known.
 *
 * @param group the group's name
 * @param member the member's id
 * @param role its role
 * @param leader the leader it knows of, empty if none
 * @param term its term
 * @param commit its commit index
 * @param applied its applied index
 */
record GroupRow(
        String group, String member, String role, Optional<String> leader, long term, long commit, long applied) {

    /**
     * Finds a group's line in the command's output.
     *
     * @param output the lines {@code spool:groups} printed (other lines, such as the client's own, are skipped)
     * @param group the group's name
     * @return the group's row, empty if the output has none
     */
    static Optional<GroupRow> find(List<String> output, String group) {
        return output.stream()
                .map(line -> line.trim().split("\\s+"))
                .filter(fields -> fields.length == 7 && fields[0].equals(group))
                .findFirst()
                .map(fields -> new GroupRow(
                        fields[0],
                        fields[1],
                        fields[2],
                        fields[3].equals("-") ? Optional.empty() : Optional.of(fields[3]),
                        Long.parseLong(fields[4]),
                        Long.parseLong(fields[5]),
                        Long.parseLong(fields[6])));
    }

    boolean leads() {
        return role.equals("LEADER");
    }
}
