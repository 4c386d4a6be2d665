package dev.spool.shell;

import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes a member's role in the membership: {@value #VOTING} or {@value #NON_VOTING}. */
@Service
public final class VotingCompleter implements Completer {

    /** A member that votes and counts toward commit quorums. */
    static final String VOTING = "voting";
    /** A member that only receives the log (a learner). */
    static final String NON_VOTING = "non-voting";

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(new String[] {VOTING, NON_VOTING}).complete(session, commandLine, candidates);
    }

    /**
     * Reads a role.
     *
     * @param role {@value #VOTING} or {@value #NON_VOTING}
     * @return whether it votes
     * @throws IllegalArgumentException naming the value, if it is neither
     */
    static boolean voting(String role) {
        return switch (role) {
            case VOTING -> true;
            case NON_VOTING -> false;
            default ->
                throw new IllegalArgumentException(
                        "role must be " + VOTING + " or " + NON_VOTING + ", not '" + role + "'");
        };
    }

    /** @return the role's name */
    static String name(boolean voting) {
        return voting ? VOTING : NON_VOTING;
    }
}
