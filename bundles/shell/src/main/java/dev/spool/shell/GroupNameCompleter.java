package dev.spool.shell;

import dev.spool.api.group.RaftGroup;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes the names of this member's groups. */
@Service
public final class GroupNameCompleter implements Completer {

    @Reference
    List<RaftGroup<?>> groups;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(groups.stream().map(RaftGroup::name).toList())
                .complete(session, commandLine, candidates);
    }
}
