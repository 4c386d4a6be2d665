package dev.spool.api.spi.snapshot;

import dev.spool.api.cluster.Membership;
import java.util.Objects;

/**
 * What a snapshot stands for: the log position it replaces and the membership in force there.
 *
 * @param lastIndex the index of the last log entry whose effect the snapshot contains; at least 1
 * @param lastTerm the term of that entry; at least 1
 * @param membership the group's membership at {@code lastIndex}
 * @param formatVersion the version of the state machine's own encoding of the snapshot bytes, so that a later
 *     version of the state machine knows how to read what an earlier one wrote; not negative
 */
public record SnapshotMetadata(long lastIndex, long lastTerm, Membership membership, int formatVersion) {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming the value that is out of range
     */
    public SnapshotMetadata {
        Objects.requireNonNull(membership, "membership");
        if (lastIndex < 1) {
            throw new IllegalArgumentException("last included index must be at least 1, not " + lastIndex);
        }
        if (lastTerm < 1) {
            throw new IllegalArgumentException("last included term must be at least 1, not " + lastTerm);
        }
        if (formatVersion < 0) {
            throw new IllegalArgumentException("format version must not be negative: " + formatVersion);
        }
    }
}
