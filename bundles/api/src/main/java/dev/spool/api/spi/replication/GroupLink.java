package dev.spool.api.spi.replication;

import dev.spool.api.cluster.Member;
import dev.spool.api.spi.journal.RawRecords;
import dev.spool.api.spi.raft.ForwardProposal;
import dev.spool.api.spi.raft.RaftMessage;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * One group's sending side of the transport.
 *
 * <p>Threads: one thread at a time sends (the group's core thread); {@link #close()} from any thread. {@code send}
 * must not block: a message the transport cannot take now is dropped (Raft retransmits) and {@code false} returned.
 */
public interface GroupLink extends AutoCloseable {

    /**
     * Sends a message that carries no bytes: everything but a non-empty AppendEntries, an InstallSnapshot chunk and
     * a ForwardProposal.
     *
     * @param to the receiving member, with its address
     * @param message the message
     * @return whether the transport took it
     */
    boolean send(Member to, RaftMessage message);

    /**
     * Sends an AppendEntries with the records it names attached. The transport takes ownership of {@code records}
     * in every case and releases it once written (or dropped), on any thread.
     *
     * @param to the receiving member
     * @param message the AppendEntries, naming exactly the records' range
     * @param records the records, as read raw from the leader's journal
     * @return whether the transport took it
     */
    boolean sendRecords(Member to, RaftMessage message, RawRecords records);

    /**
     * Sends an InstallSnapshot chunk with its bytes attached; the bytes are read before this returns.
     *
     * @param to the receiving member
     * @param message the chunk's InstallSnapshot
     * @param chunk the chunk's stored snapshot bytes, from position to limit
     * @return whether the transport took it
     */
    boolean sendSnapshotChunk(Member to, RaftMessage message, ByteBuffer chunk);

    /**
     * Sends a proposal made on this member to the leader, with its encoded payload attached; the bytes are read
     * before this returns.
     *
     * @param to the leader
     * @param message the forwarded proposal, whose {@code length} is the payload's
     * @param payload the payload as the group's codec encoded it, from position to limit
     * @return whether the transport took it
     */
    boolean sendForwardedProposal(Member to, ForwardProposal message, ByteBuffer payload);

    /**
     * Tells the transport whom the group's own log names now, with their addresses: the members of the membership
     * committed and of any later one appended. The transport connects to a member it has no address for otherwise,
     * and closes its connection to one that no group and no configured peer names any more. The group calls this
     * after joining and whenever the set changes; addresses come from the group's log only, never from a peer.
     * A transport that needs no addresses (in memory) ignores it.
     *
     * @param members the members, this member among them; an address {@code ""} means none is known
     */
    default void membersChanged(List<Member> members) {}

    /** Detaches the group: nothing more is delivered to its inbox once this returns. Idempotent. */
    @Override
    void close();
}
