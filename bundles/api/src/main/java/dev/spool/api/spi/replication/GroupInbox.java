package dev.spool.api.spi.replication;

import dev.spool.api.spi.journal.RawRecords;
import dev.spool.api.spi.raft.ForwardProposal;
import dev.spool.api.spi.raft.RaftMessage;

/**
 * A group's receiving side: the transport hands it every message addressed to the group's member.
 *
 * <p>Threads: the transport's threads, possibly several at once. Methods must not block: a group whose bounded
 * inbox is full drops the message (and releases its bytes) and returns {@code false}; Raft retransmits.
 *
 * <p>Ownership: every byte-carrying delivery hands the bytes over ({@link RawRecords}, {@link ReceivedBytes}): the
 * group releases them exactly once, on every path, on whichever thread finishes with them.
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
     * Delivers an InstallSnapshot chunk. The group takes ownership of {@code chunk} in every case and releases it
     * exactly once: once its snapshot store has stored the bytes, or when it drops the message. The sender's credit
     * for the chunk returns only then, so a follower that stores slowly holds at most its window of chunks.
     *
     * @param message the chunk's InstallSnapshot
     * @param chunk the chunk's bytes
     * @return whether the group took it
     */
    boolean deliverSnapshotChunk(RaftMessage message, ReceivedBytes chunk);

    /**
     * Delivers a proposal a follower forwarded to this member, with its encoded payload. The group takes ownership
     * of {@code payload} in every case and releases it exactly once: once its journal holds the bytes as they
     * arrived (the group appends them without decoding them into an object it keeps), or when it refuses the
     * proposal.
     *
     * @param message the forwarded proposal
     * @param payload the payload's bytes, as the follower's codec encoded them
     * @return whether the group took it
     */
    boolean deliverForwardedProposal(ForwardProposal message, ReceivedBytes payload);
}
