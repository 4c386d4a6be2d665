package dev.spool.shell;

import dev.spool.api.cluster.Member;
import dev.spool.api.group.RaftGroup;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code spool:set-voting <group> <member> voting|non-voting}: makes a member voting (it votes and counts toward
 * commit quorums) or non-voting (it only receives the log), on the leader.
 */
@Command(
        scope = "spool",
        name = "set-voting",
        description = "Makes a member of a Raft group voting or non-voting"
                + " (on the leader): a membership change, committed through the log.")
@Service
public final class SetVotingCommand extends MemberAction {

    @Argument(
            index = 2,
            name = "role",
            description = VotingCompleter.VOTING + " or " + VotingCompleter.NON_VOTING,
            required = true)
    @Completion(VotingCompleter.class)
    String role;

    @Override
    public Object execute() {
        final RaftGroup<?> raft = group();
        final boolean voting = VotingCompleter.voting(role);
        final Member current = member(raft);
        if (current.voting() == voting) {
            out.println("group " + raft.name() + ": " + member + " is already " + role);
            return null;
        }
        requireLeader(raft, "change a member's voting");
        final long index = await(
                "group " + raft.name() + ": making " + member + " " + role,
                raft.changeMembership(raft.membership().with(current.withVoting(voting))));
        out.println("group " + raft.name() + ": " + member + " is " + role + " (log index " + index + ")");
        return null;
    }
}
