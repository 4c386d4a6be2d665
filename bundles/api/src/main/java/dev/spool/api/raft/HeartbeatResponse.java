package dev.spool.api.raft;

/**
 * Answers a {@link Heartbeat}, telling the leader the follower still recognises it in this term.
 *
 * @param from the follower
 * @param to the leader
 * @param term the follower's term
 * @param context the context of the heartbeat answered
 */
public record HeartbeatResponse(String from, String to, long term, long context) implements RaftMessage {
}
