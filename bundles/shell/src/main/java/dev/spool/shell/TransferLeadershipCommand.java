package dev.spool.shell;

import dev.spool.api.cluster.Member;
import dev.spool.api.group.RaftGroup;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code spool:transfer-leadership <group> <member>}: hands the group's leadership to another voting member, on the
 * leader; proposals are refused while the transfer runs.
 */
@Command(
        scope = "spool",
        name = "transfer-leadership",
        description = "Hands a Raft group's leadership to another" + " voting member (on the leader).")
@Service
public final class TransferLeadershipCommand extends MemberAction {

    @Override
    public Object execute() {
        final RaftGroup<?> raft = group();
        final Member target = member(raft);
        if (!target.voting()) {
            throw new IllegalArgumentException(
                    "group " + raft.name() + ": " + member + " is non-voting and cannot lead");
        }
        if (target.id().equals(raft.memberId())) {
            throw new IllegalArgumentException("group " + raft.name() + ": " + member + " is this member");
        }
        requireLeader(raft, "transfer leadership");
        await("group " + raft.name() + ": transferring leadership to " + member, raft.transferLeadership(member));
        out.println("group " + raft.name() + ": " + member + " leads");
        return null;
    }
}
