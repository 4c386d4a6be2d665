package dev.spool.api.spi.raft;

/**
 * Asks for a vote (Raft §5.2), or, as a pre-vote, asks whether a vote would be granted without disturbing anyone's
 * term.
 *
 * @param from the candidate
 * @param to the voter asked
 * @param term the term of the election; for a pre-vote the term the candidate would move to (its term + 1), which
 *     the receiver does not adopt
 * @param lastLogIndex the index of the candidate's last entry (§5.4.1 up-to-date check)
 * @param lastLogTerm the term of the candidate's last entry
 * @param preVote whether this is a pre-vote: the receiver changes neither term nor vote
 * @param leadershipTransfer whether the campaign was started by the leader's {@link TimeoutNow}: receivers do not
 *     refuse it for having heard from a leader recently
 */
public record VoteRequest(
        String from,
        String to,
        long term,
        long lastLogIndex,
        long lastLogTerm,
        boolean preVote,
        boolean leadershipTransfer)
        implements RaftMessage {}
