package dev.spool.api.spi.replication;

import dev.spool.api.cluster.Member;

/**
 * Carries the Raft messages of this member's groups to their peers and delivers what peers send back. Published as
 * an OSGi service by the transport bundle; a single-member group needs none. One connection per member pair may
 * carry every group: frames name the group, and flow control is per group.
 *
 * <p>Promises: messages of one group to one peer arrive in the order sent, or not at all (Raft retransmits; a
 * transport may drop under pressure or on a broken link, never reorder within a link, never deliver corrupted
 * bytes); record bytes arrive exactly as they lay in the sender's journal.
 *
 * <p>Threads: any thread may call {@link #join}. The transport must not block the caller of {@link GroupLink#send}.
 */
public interface ReplicationStreamer {

    /**
     * Attaches a group of this member to the transport: from now on messages addressed to {@code localMember} in
     * {@code group} are delivered to {@code inbox}.
     *
     * @param group the group's name
     * @param localMember this member in the group (its id; its address is where peers reach it)
     * @param inbox receives the group's incoming messages
     * @return the link through which the group sends; closing it detaches the group
     * @throws IllegalStateException if the group is already attached for that member
     */
    GroupLink join(String group, Member localMember, GroupInbox inbox);
}
