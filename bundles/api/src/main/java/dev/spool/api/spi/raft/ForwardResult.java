package dev.spool.api.spi.raft;

import java.util.Objects;

/**
 * The leader's answer to a {@link ForwardProposal}.
 *
 * @param from the leader
 * @param to the follower
 * @param term the leader's term
 * @param requestId the request answered
 * @param outcome what became of the proposal
 * @param index the entry's index when the outcome is {@link ForwardOutcome#SUCCEEDED}, otherwise 0
 */
public record ForwardResult(String from, String to, long term, long requestId, ForwardOutcome outcome, long index)
        implements ForwardMessage {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if a success has no index or a failure has one
     */
    public ForwardResult {
        Objects.requireNonNull(outcome, "outcome");
        if ((outcome == ForwardOutcome.SUCCEEDED) != (index > 0) || index < 0) {
            throw new IllegalArgumentException("a forwarded proposal's " + outcome + " with entry index " + index);
        }
    }
}
