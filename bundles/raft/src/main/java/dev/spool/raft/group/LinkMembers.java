package dev.spool.raft.group;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.spi.replication.GroupLink;
import dev.spool.raft.core.RaftCore;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells the group's link whom its log names ({@link GroupLink#membersChanged}): the members of the committed
 * membership and of the one appended after it, if any. So the transport dials a member a change added as soon as
 * the change is in this member's log, and lets go of a removed one only once its removal committed. The addresses
 * are the log's own, never a peer's word.
 *
 * <p>Threads: the core agent only. The core keeps one object per membership, so a change is an identity check per
 * duty cycle; the list is built only on a change.
 */
final class LinkMembers {

    private final GroupLink link;
    private Membership committed;
    private Membership latest;

    LinkMembers(GroupLink link) {
        this.link = link;
    }

    /** Announces the members if the core's committed or latest membership changed since the last announcement. */
    void publish(RaftCore core) {
        final Membership nowCommitted = core.committedMembership();
        final Membership nowLatest = core.membership();
        if (nowCommitted == committed && nowLatest == latest) {
            return;
        }
        committed = nowCommitted;
        latest = nowLatest;
        final List<Member> members = new ArrayList<>(nowLatest.members());
        for (Member member : nowCommitted.members()) {
            if (!nowLatest.contains(member.id())) {
                members.add(member); // removed by the uncommitted change: still counted on until it commits
            }
        }
        link.membersChanged(members);
    }
}
