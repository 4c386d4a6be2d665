package dev.spool.api.spi.raft;

/**
 * A proposal made on a follower, sent to the leader it knows. The message names the payload, it does not carry it:
 * the transport attaches the {@code length} bytes the group's payload codec wrote, as it attaches the bytes of an
 * {@link InstallSnapshot} chunk. The leader answers with a {@link ForwardResult} of the same request id.
 *
 * @param from the follower
 * @param to the leader
 * @param term the follower's term
 * @param requestId the follower's id of this request
 * @param sessionId the client session's id, 0 outside a session: the leader applies a session's sequence number at
 *     most once, however often and through whichever members it is retried
 * @param sequence the proposal's sequence number in its session, 0 outside a session
 * @param length the payload's length in bytes
 */
public record ForwardProposal(
        String from, String to, long term, long requestId, long sessionId, long sequence, long length)
        implements ForwardMessage {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if the length or sequence is negative, or only one of session id and sequence
     *     is 0
     */
    public ForwardProposal {
        if (length < 0 || sequence < 0) {
            throw new IllegalArgumentException(
                    "invalid forwarded proposal of " + length + " bytes, sequence " + sequence);
        }
        if ((sessionId == 0) != (sequence == 0)) {
            throw new IllegalArgumentException("a forwarded proposal has a session id and a sequence number, or"
                    + " neither: session " + sessionId + ", sequence " + sequence);
        }
    }
}
