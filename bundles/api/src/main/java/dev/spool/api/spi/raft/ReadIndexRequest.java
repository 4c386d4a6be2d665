package dev.spool.api.spi.raft;

/**
 * A follower asks the leader for a read index (Raft dissertation §6.4): the leader confirms its leadership with a
 * heartbeat round, as for its own read barriers, and answers with its commit index of when the request arrived. The
 * follower's read barrier passes once it has applied up to that index.
 *
 * @param from the follower
 * @param to the leader
 * @param term the follower's term
 * @param requestId the follower's id of this request
 */
public record ReadIndexRequest(String from, String to, long term, long requestId) implements ForwardMessage {}
