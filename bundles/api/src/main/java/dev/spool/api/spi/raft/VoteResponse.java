package dev.spool.api.spi.raft;

/**
 * Answers a {@link VoteRequest}.
 *
 * @param from the voter
 * @param to the candidate
 * @param term when granted, the term of the request; when refused, the voter's current term (a higher one makes
 *     the candidate a follower in that term)
 * @param preVote whether this answers a pre-vote
 * @param granted whether the (pre-)vote is granted
 */
public record VoteResponse(String from, String to, long term, boolean preVote, boolean granted)
        implements RaftMessage {}
