package dev.spool.shell;

import dev.spool.api.group.RaftGroup;
import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code spool:groups}: one line per group of this member with its role, the leader it knows, its term, commit and
 * applied index. The values of a line are read one after the other, not atomically: a line taken during an
 * election may mix two terms.
 */
@Command(
        scope = "spool",
        name = "groups",
        description = "Lists this member's Raft groups: role, leader, term," + " commit and applied index.")
@Service
public final class GroupsCommand implements Action {

    /** What the command prints when this member has no group. */
    static final String NO_GROUPS = "no Raft groups";

    @Reference
    List<RaftGroup<?>> groups;

    PrintStream out = System.out;

    @Override
    public Object execute() {
        if (groups.isEmpty()) {
            out.println(NO_GROUPS);
            return null;
        }
        final Table table = new Table("group", "member", "role", "leader", "term", "commit", "applied");
        groups.stream()
                .sorted(Comparator.comparing(RaftGroup::name))
                .forEach(raft -> table.row(
                        raft.name(),
                        raft.memberId(),
                        raft.role(),
                        raft.leaderId().orElse(null),
                        raft.term(),
                        raft.commitIndex(),
                        raft.appliedIndex()));
        out.println(table);
        return null;
    }
}
