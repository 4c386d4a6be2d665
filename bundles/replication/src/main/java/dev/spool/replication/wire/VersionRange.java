package dev.spool.replication.wire;

import java.util.OptionalInt;

/**
 * The versions of a format a member speaks, from {@code min} to {@code max}. Two members negotiate the highest
 * version both speak, so a member supporting versions n and n + 1 interoperates with members of either.
 *
 * @param min the oldest version spoken, at least 1
 * @param max the newest version spoken, at most 65535
 */
public record VersionRange(int min, int max) {

    /** The highest version the 2-byte version fields can carry. */
    public static final int MAX_VERSION = 0xFFFF;

    /**
     * Checks the bounds.
     *
     * @throws IllegalArgumentException if {@code 1 <= min <= max <= 65535} does not hold
     */
    public VersionRange {
        if (min < 1 || max < min || max > MAX_VERSION) {
            throw new IllegalArgumentException("invalid version range " + min + ".." + max);
        }
    }

    /**
     * Returns the range of one version.
     *
     * @param version the version
     * @return {@code version..version}
     */
    public static VersionRange only(int version) {
        return new VersionRange(version, version);
    }

    /**
     * Tells whether a version lies in the range.
     *
     * @param version the version
     * @return whether {@code min <= version <= max}
     */
    public boolean contains(int version) {
        return min <= version && version <= max;
    }

    /**
     * Returns the highest version both ranges contain.
     *
     * @param other the peer's range
     * @return the highest common version, or empty if the ranges do not overlap
     */
    public OptionalInt highestCommon(VersionRange other) {
        final int highest = Math.min(max, other.max);
        return highest >= Math.max(min, other.min) ? OptionalInt.of(highest) : OptionalInt.empty();
    }

    @Override
    public String toString() {
        return min == max ? Integer.toString(min) : min + ".." + max;
    }
}
