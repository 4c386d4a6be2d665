package dev.spool.api.spi.raft;

/**
 * The leader's periodic sign of life: it keeps followers from campaigning, tells them the commit index, and
 * confirms leadership for read-index reads.
 *
 * @param from the leader
 * @param to the follower
 * @param term the leader's term
 * @param commitIndex the leader's commit index, capped at what the leader knows the follower holds
 * @param context the read-index round this heartbeat belongs to (0 if none): the follower echoes it
 */
public record Heartbeat(String from, String to, long term, long commitIndex, long context) implements RaftMessage {}
