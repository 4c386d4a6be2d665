package dev.spool.api.spi.raft;

import dev.spool.api.cluster.Membership;
import java.util.Objects;

/**
 * One chunk of a snapshot sent to a follower whose next entry the leader has compacted away (Raft §7). The message
 * names the bytes {@code offset .. offset + length} of the snapshot; the transport attaches them. Chunks are sent
 * in order, one at a time; a transfer resumes from the last offset the follower acknowledged.
 *
 * @param from the leader
 * @param to the follower
 * @param term the leader's term
 * @param lastIndex the index of the last entry the snapshot covers
 * @param lastTerm the term of that entry
 * @param membership the membership in effect at {@code lastIndex}
 * @param offset the position of this chunk in the snapshot
 * @param length the chunk's length in bytes
 * @param done whether this is the last chunk
 */
public record InstallSnapshot(
        String from,
        String to,
        long term,
        long lastIndex,
        long lastTerm,
        Membership membership,
        long offset,
        long length,
        boolean done)
        implements RaftMessage {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if the offset or length is negative
     */
    public InstallSnapshot {
        Objects.requireNonNull(membership, "membership");
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("invalid snapshot chunk at " + offset + " of length " + length);
        }
    }
}
