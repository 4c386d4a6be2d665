package dev.spool.api.spi.raft;

import dev.spool.api.cluster.Membership;
import java.util.Objects;

/**
 * A membership-change entry of the log: the membership that takes effect when the entry at {@code index} is
 * appended.
 *
 * @param index the entry's index
 * @param membership the membership it carries
 */
public record MembershipEntry(long index, Membership membership) {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if the index is not positive
     */
    public MembershipEntry {
        Objects.requireNonNull(membership, "membership");
        if (index <= 0) {
            throw new IllegalArgumentException("membership entry index must be positive: " + index);
        }
    }
}
