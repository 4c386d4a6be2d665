package dev.spool.shell;

import dev.spool.api.cluster.Member;
import dev.spool.api.group.RaftGroup;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/**
 * Completes member ids: those of the group named earlier on the command line, or of every group of this member
 * when none is named yet.
 */
@Service
public final class MemberIdCompleter implements Completer {

    @Reference
    List<RaftGroup<?>> groups;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        final List<String> words =
                Arrays.asList(commandLine.getArguments()).subList(0, Math.max(0, commandLine.getCursorArgumentIndex()));
        final List<String> ids = new ArrayList<>();
        for (RaftGroup<?> raft : groups) {
            if (words.contains(raft.name())) {
                ids.clear();
                raft.membership().members().forEach(m -> ids.add(m.id()));
                break;
            }
            raft.membership().members().forEach(m -> ids.add(m.id()));
        }
        return new StringsCompleter(ids).complete(session, commandLine, candidates);
    }

    /** @return the group's member ids, comma-separated, for messages */
    static String ids(RaftGroup<?> raft) {
        return raft.membership().members().stream().map(Member::id).collect(Collectors.joining(", "));
    }
}
