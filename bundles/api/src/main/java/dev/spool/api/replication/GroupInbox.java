package dev.spool.api.replication;

import dev.spool.api.journal.RawRecords;
import dev.spool.api.raft.ForwardProposal;
import dev.spool.api.raft.RaftMessage;
import java.nio.ByteBuffer;

/**
 * A group's receiving side: the transport hands it every message addressed to the group's member.
 *
 * <p>Threads: the transport's threads, possibly several at once. Methods must not block: a group whose bounded
 * inbox is full drops the message (and releases its records) and returns {@code false}; Raft retransmits.
 */
public interface GroupInbox {

    /**
     * Delivers a message without bytes.
     *
     * @param message the message
     * @return whether the group took it
     */
    boolean deliver(RaftMessage message);

    /**
     * Delivers an AppendEntries and the records it names, whose checksums the group's journal verifies when it
     * appends them. The group takes ownership of {@code records} in every case and releases it exactly once.
     *
     * @param message the AppendEntries
     * @param records the records, exactly as they lay in the sender's journal
     * @return whether the group took it
     */
    boolean deliverRecords(RaftMessage message, RawRecords records);

    /**
     * Delivers an InstallSnapshot chunk. The bytes are valid only during the call: the group copies what it keeps.
     *
     * @param message the chunk's InstallSnapshot
     * @param chunk the chunk's bytes, from position to limit
     * @return whether the group took it
     */
    boolean deliverSnapshotChunk(RaftMessage message, ByteBuffer chunk);

    /**
     * Delivers a proposal a follower forwarded to this member, with its encoded payload. The bytes are valid only
     * during the call: the group decodes them before it returns.
     *
     * @param message the forwarded proposal
     * @param payload the payload's bytes, from position to limit
     * @return whether the group took it
     */
    boolean deliverForwardedProposal(ForwardProposal message, ByteBuffer payload);
}
