package dev.spool.raft.internal.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spool.api.group.GroupRole;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The {@code spool:groups} table: what each column shows, alignment, order, and the empty case. */
class GroupTableTest {

    @Test
    @DisplayName("a header, then one line per group sorted by name, columns aligned two spaces past the widest cell")
    void alignedAndSorted() {
        final String table = GroupTable.format(List.of(
            new GroupStatus("orders", "member-2", GroupRole.FOLLOWER, "member-1", 3, 1200, 1187),
            new GroupStatus("default", "member-2", GroupRole.LEADER, "member-2", 12, 7, 7)));
        assertEquals(String.join("\n",
            "group    member    role      leader    term  commit  applied",
            "default  member-2  LEADER    member-2  12    7       7",
            "orders   member-2  FOLLOWER  member-1  3     1200    1187"), table);
    }

    @Test
    @DisplayName("no known leader shows as '-', so every line keeps seven whitespace-separated fields")
    void missingLeader() {
        final String table = GroupTable.format(List.of(
            new GroupStatus("default", "member-3", GroupRole.CANDIDATE, null, 5, 0, 0)));
        final String line = table.lines().skip(1).findFirst().orElseThrow();
        assertEquals(List.of("default", "member-3", "CANDIDATE", "-", "5", "0", "0"), List.of(line.split("\\s+")));
    }

    @Test
    @DisplayName("a member without groups says so instead of printing a bare header")
    void noGroups() {
        assertEquals("no Raft groups", GroupTable.format(List.of()));
    }
}
