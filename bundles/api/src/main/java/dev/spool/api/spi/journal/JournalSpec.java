package dev.spool.api.spi.journal;

import dev.spool.api.group.Durability;
import java.util.Objects;

/**
 * The shape of a journal: its durability, the size of its segment files and the largest entry it accepts.
 *
 * <p>A spec is checked when it is made: a segment is at most {@link #MAX_SEGMENT_SIZE} and at least
 * {@link #MIN_SEGMENT_SIZE} bytes, and the largest entry must be positive and smaller than a segment (the journal
 * refuses, when it opens, an entry limit that leaves no room for the segment header and one record's framing).
 *
 * @param durability when appended entries are forced to disk
 * @param segmentSize the size in bytes of each segment file, allocated in full before it is used
 * @param maxEntrySize the largest payload in bytes one entry may have
 */
public record JournalSpec(Durability durability, int segmentSize, int maxEntrySize) {

    /** The largest segment file: 1 GiB. */
    public static final int MAX_SEGMENT_SIZE = 1 << 30;

    /** The smallest segment file: 64 KiB. */
    public static final int MIN_SEGMENT_SIZE = 64 << 10;

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming the value that is out of range
     */
    public JournalSpec {
        Objects.requireNonNull(durability, "durability");
        if (segmentSize < MIN_SEGMENT_SIZE || segmentSize > MAX_SEGMENT_SIZE) {
            throw new IllegalArgumentException("segment size " + segmentSize + " is outside [" + MIN_SEGMENT_SIZE + ", "
                    + MAX_SEGMENT_SIZE + "] bytes");
        }
        if (maxEntrySize <= 0 || maxEntrySize >= segmentSize) {
            throw new IllegalArgumentException("maximum entry size " + maxEntrySize
                    + " must be positive and smaller than the segment size " + segmentSize);
        }
    }

    /**
     * Returns this spec with another durability.
     *
     * @param newDurability the durability of the copy
     * @return a spec differing from this one in durability only
     */
    public JournalSpec withDurability(Durability newDurability) {
        return new JournalSpec(newDurability, segmentSize, maxEntrySize);
    }

    /**
     * Returns this spec with other segment and entry sizes.
     *
     * @param newSegmentSize the segment size of the copy
     * @param newMaxEntrySize the largest entry of the copy
     * @return a spec with this durability and the given sizes
     */
    public JournalSpec withSizes(int newSegmentSize, int newMaxEntrySize) {
        return new JournalSpec(durability, newSegmentSize, newMaxEntrySize);
    }
}
