package dev.spool.api.spi.raft;

import java.util.Objects;

/**
 * The leader's answer to a {@link ReadIndexRequest}.
 *
 * @param from the leader
 * @param to the follower
 * @param term the leader's term
 * @param requestId the request answered
 * @param outcome {@link ForwardOutcome#SUCCEEDED} once a quorum confirmed the leadership, otherwise why not
 * @param readIndex on success, the index the follower must apply up to before it reads; otherwise 0
 */
public record ReadIndexResponse(
        String from, String to, long term, long requestId, ForwardOutcome outcome, long readIndex)
        implements ForwardMessage {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if the read index is negative, or a failure carries one
     */
    public ReadIndexResponse {
        Objects.requireNonNull(outcome, "outcome");
        if (readIndex < 0 || (outcome != ForwardOutcome.SUCCEEDED && readIndex != 0)) {
            throw new IllegalArgumentException("a read index response " + outcome + " with read index " + readIndex);
        }
    }
}
