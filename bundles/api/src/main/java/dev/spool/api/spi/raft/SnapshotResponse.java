package dev.spool.api.spi.raft;

/**
 * Answers an {@link InstallSnapshot} chunk.
 *
 * @param from the follower
 * @param to the leader
 * @param term the follower's term
 * @param lastIndex the {@code lastIndex} of the snapshot answered
 * @param nextOffset the offset of the next chunk the follower expects (everything before it is stored)
 * @param complete whether the follower now holds the snapshot (installed, or its log already covers it)
 */
public record SnapshotResponse(String from, String to, long term, long lastIndex, long nextOffset, boolean complete)
        implements RaftMessage {}
