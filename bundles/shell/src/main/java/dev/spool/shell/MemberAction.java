package dev.spool.shell;

import dev.spool.api.cluster.Member;
import dev.spool.api.group.RaftGroup;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;

/**
 * The base of the commands about one member of one group: the member's id as second argument, completed from the
 * group's membership.
 */
public abstract class MemberAction extends GroupAction {

    @Argument(index = 1, name = "member", description = "the member's id", required = true)
    @Completion(MemberIdCompleter.class)
    String member;

    /**
     * Finds the member the command names in the group's membership.
     *
     * @param raft the group
     * @return the member
     * @throws IllegalArgumentException naming the member and the group, if the membership has no such member
     */
    Member member(RaftGroup<?> raft) {
        return raft.membership()
                .member(member)
                .orElseThrow(() -> new IllegalArgumentException("group " + raft.name() + " has no member " + member
                        + "; its members: " + MemberIdCompleter.ids(raft)));
    }
}
