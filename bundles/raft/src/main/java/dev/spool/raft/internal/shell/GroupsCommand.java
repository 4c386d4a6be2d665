package dev.spool.raft.internal.shell;

import dev.spool.api.group.RaftGroup;
import java.util.List;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The console command {@code spool:groups}: one line per {@link RaftGroup} service of this member with its role, the
 * leader it knows, its term, commit and applied index. A Felix Gogo command (the {@code osgi.command.*} service
 * properties), which Karaf's shell runs like its own. It prints rather than returns the table: Karaf prints a
 * command's return value in an interactive console only, not in a batch ({@code bin/client -b}) session.
 *
 * <p>Threads: the shell's session thread calls {@link #groups()}; Declarative Services updates the group list.
 */
@Component(service = GroupsCommand.class,
    property = {"osgi.command.scope=spool", "osgi.command.function=groups"})
public final class GroupsCommand {

    @Reference(service = RaftGroup.class, cardinality = ReferenceCardinality.MULTIPLE,
        policy = ReferencePolicy.DYNAMIC)
    private volatile List<RaftGroup<?>> groups;

    /** Prints the table of this member's groups, or a line saying there is none, to the session's output. */
    public void groups() {
        System.out.println(GroupTable.format(groups.stream().map(GroupStatus::of).toList()));
    }
}
