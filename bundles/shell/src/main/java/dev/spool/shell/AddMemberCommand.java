package dev.spool.shell;

import dev.spool.api.cluster.Member;
import dev.spool.api.group.RaftGroup;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code spool:add-member [--non-voting] <group> <member> <host:port>}: adds a member to the group's membership, on
 * the leader. A new member usually joins non-voting, catches up, and is then made voting ({@code spool:set-voting}),
 * so the quorum never waits for a member that is still far behind.
 */
@Command(
        scope = "spool",
        name = "add-member",
        description =
                "Adds a member to a Raft group (on the leader): a" + " membership change, committed through the log.")
@Service
public final class AddMemberCommand extends GroupAction {

    @Argument(index = 1, name = "member", description = "the new member's id", required = true)
    String member;

    @Argument(index = 2, name = "address", description = "where peers reach it, host:port", required = true)
    String address;

    @Option(name = "--non-voting", aliases = "-n", description = "the member only receives the log (a learner)")
    boolean nonVoting;

    @Override
    public Object execute() {
        final RaftGroup<?> raft = group();
        final Member added = new Member(member, !nonVoting, Addresses.check(address));
        if (raft.membership().contains(member)) {
            throw new IllegalArgumentException("group " + raft.name() + " already has a member " + member);
        }
        requireLeader(raft, "add a member");
        final long index = await(
                "group " + raft.name() + ": adding " + member,
                raft.changeMembership(raft.membership().with(added)));
        out.println("group " + raft.name() + ": added " + member + " at " + address + ", "
                + VotingCompleter.name(added.voting()) + " (log index " + index + ")");
        return null;
    }
}
