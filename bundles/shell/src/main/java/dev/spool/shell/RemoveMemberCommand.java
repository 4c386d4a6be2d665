package dev.spool.shell;

import dev.spool.api.group.RaftGroup;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code spool:remove-member <group> <member>}: removes a member from the group's membership, on the leader. */
@Command(
        scope = "spool",
        name = "remove-member",
        description = "Removes a member from a Raft group (on the"
                + " leader): a membership change, committed through the log.")
@Service
public final class RemoveMemberCommand extends MemberAction {

    @Override
    public Object execute() {
        final RaftGroup<?> raft = group();
        member(raft);
        requireLeader(raft, "remove a member");
        final long index = await(
                "group " + raft.name() + ": removing " + member,
                raft.changeMembership(raft.membership().without(member)));
        out.println("group " + raft.name() + ": removed " + member + " (log index " + index + ")");
        return null;
    }
}
