package dev.spool.api.spi.raft;

/**
 * Tells the target of a leadership transfer, once its log is up to date, to start an election at once: it skips the
 * pre-vote, and its vote requests are flagged so that voters do not refuse them for having a leader.
 *
 * @param from the leader
 * @param to the transfer target
 * @param term the leader's term
 */
public record TimeoutNow(String from, String to, long term) implements RaftMessage {}
