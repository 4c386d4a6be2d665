package dev.spool.api.spi.raft;

/**
 * Answers a {@link Heartbeat}, telling the leader the follower still recognises it in this term.
 *
 * @param from the follower
 * @param to the leader
 * @param term the follower's term
 * @param context the context of the heartbeat answered
 * @param matchIndex the highest index the follower knows to match the leader's log and has flushed; below what the
 *     leader believes (the follower restarted and forgot), it makes the leader probe the follower again
 */
public record HeartbeatResponse(String from, String to, long term, long context, long matchIndex)
        implements RaftMessage {}
