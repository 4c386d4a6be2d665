package dev.spool.replication.wire;

import java.util.Objects;

/**
 * Grants the peer more room for one group's bulk frames (AppendEntries with records and InstallSnapshot): the
 * receiver sends it when the connection opens (or the group joins), then as its group releases what it received,
 * so a group whose follower falls behind stops its own sender without holding up the other groups sharing the
 * connection. The rules are in {@code docs/wire-protocol.md}, "Flow control".
 *
 * @param group the group
 * @param entries how many more entries the peer may send for the group, at least 1 (a snapshot chunk counts as one)
 * @param bytes how many more frame bytes the peer may send for the group, at least 1
 */
public record Credit(String group, int entries, int bytes) implements Frame {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if a grant is not positive
     */
    public Credit {
        Objects.requireNonNull(group, "group");
        if (entries <= 0) {
            throw new IllegalArgumentException("a credit grant of entries must be positive: " + entries);
        }
        if (bytes <= 0) {
            throw new IllegalArgumentException("a credit grant of bytes must be positive: " + bytes);
        }
    }

    @Override
    public FrameType type() {
        return FrameType.CREDIT;
    }
}
