package dev.spool.api.spi.raft;

/**
 * A message between two members of one Raft group. Every message carries the sender's current term: a receiver
 * with a lower term adopts it, a receiver with a higher term treats the message as stale.
 *
 * <p>The {@link ForwardMessage}s, by which a follower has the leader serve its clients' proposals and reads, are
 * served by the group around the core, not by the core.
 *
 * <p>Values are immutable and may be shared between threads.
 */
public sealed interface RaftMessage
        permits VoteRequest,
                VoteResponse,
                AppendEntries,
                AppendResponse,
                Heartbeat,
                HeartbeatResponse,
                InstallSnapshot,
                SnapshotResponse,
                TimeoutNow,
                ForwardMessage {

    /**
     * Returns the sending member's id.
     *
     * @return the sender
     */
    String from();

    /**
     * Returns the receiving member's id.
     *
     * @return the receiver
     */
    String to();

    /**
     * Returns the sender's term (for a pre-vote request, the term the sender would campaign in).
     *
     * @return the term
     */
    long term();
}
