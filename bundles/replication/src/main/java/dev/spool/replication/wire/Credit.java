package dev.spool.replication.wire;

import java.util.Objects;

/**
 * Grants the peer more room for one group's bulk frames (AppendEntries and InstallSnapshot): the receiver sends it
 * as it hands received frames on, so a group whose follower falls behind stops its own sender without holding up the
 * other groups sharing the connection.
 *
 * @param group the group
 * @param bytes how many more frame bytes the peer may send for the group, at least 1
 */
public record Credit(String group, int bytes) implements Frame {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if the grant is not positive
     */
    public Credit {
        Objects.requireNonNull(group, "group");
        if (bytes <= 0) {
            throw new IllegalArgumentException("a credit grant must be positive: " + bytes);
        }
    }

    @Override
    public FrameType type() {
        return FrameType.CREDIT;
    }
}
