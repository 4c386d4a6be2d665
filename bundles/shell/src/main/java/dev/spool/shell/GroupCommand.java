package dev.spool.shell;

import dev.spool.api.cluster.Member;
import dev.spool.api.group.GroupProgress;
import dev.spool.api.group.GroupRole;
import dev.spool.api.group.RaftGroup;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code spool:group <group>}: one group as this member sees it — role, leader, term, commit and applied index,
 * latest snapshot, journal extent, size and durability — and its members with their role, voting status and address;
 * on the leader also each member's match index and lag (how many entries of the leader's journal it still lacks).
 */
@Command(
        scope = "spool",
        name = "group",
        description = "Shows one Raft group: this member's role and indexes, the"
                + " latest snapshot, the journal, and the members (with match index and lag when this member leads).")
@Service
public final class GroupCommand extends GroupAction {

    @Override
    public Object execute() {
        final RaftGroup<?> raft = group();
        final GroupProgress progress = await("group " + raft.name() + ": reading its progress", raft.progress());
        final String leader = raft.leaderId().orElse(null);
        out.println("group " + raft.name() + ": member " + raft.memberId() + " is " + raft.role() + ", leader "
                + (leader == null ? Table.NONE : leader) + ", term " + raft.term());
        out.println("commit " + raft.commitIndex() + ", applied " + raft.appliedIndex() + ", snapshot "
                + progress.snapshotIndex());
        out.println("journal " + progress.journalFirstIndex() + ".." + progress.journalLastIndex() + ", "
                + progress.journalSegments() + " segments, " + progress.journalBytes() + " bytes, "
                + progress.durability());
        final boolean leads = raft.role() == GroupRole.LEADER;
        final Table members = new Table("member", "role", "voting", "address", "match", "lag");
        for (Member member : raft.membership().members()) {
            final Long match = member.id().equals(raft.memberId())
                    ? (leads ? progress.journalLastIndex() : null)
                    : progress.matchIndex().get(member.id());
            members.row(
                    member.id(),
                    role(raft, member, leader),
                    VotingCompleter.name(member.voting()),
                    member.address().isEmpty() ? null : member.address(),
                    match,
                    match == null ? null : Math.max(0, progress.journalLastIndex() - match));
        }
        out.println(members);
        return null;
    }

    /** This member's role as it knows it; another's as far as this member can tell. */
    private static Object role(RaftGroup<?> raft, Member member, String leader) {
        if (member.id().equals(raft.memberId())) {
            return raft.role();
        }
        if (member.id().equals(leader)) {
            return GroupRole.LEADER;
        }
        return member.voting() ? GroupRole.FOLLOWER : "LEARNER";
    }
}
