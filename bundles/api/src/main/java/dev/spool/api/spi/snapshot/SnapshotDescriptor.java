package dev.spool.api.spi.snapshot;

/**
 * Identifies the stored bytes of one snapshot: what a leader announces before it sends chunks, and what a follower
 * checks a resumed or finished transfer against.
 *
 * @param lastIndex the snapshot's last included index; at least 1
 * @param lastTerm the snapshot's last included term; at least 1
 * @param size the number of stored bytes (the whole snapshot file, header included); positive
 * @param checksum the CRC32C of the snapshot's stored body, as its header records it
 */
public record SnapshotDescriptor(long lastIndex, long lastTerm, long size, int checksum) {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming the value that is out of range
     */
    public SnapshotDescriptor {
        if (lastIndex < 1) {
            throw new IllegalArgumentException("last included index must be at least 1, not " + lastIndex);
        }
        if (lastTerm < 1) {
            throw new IllegalArgumentException("last included term must be at least 1, not " + lastTerm);
        }
        if (size < 1) {
            throw new IllegalArgumentException("snapshot size must be positive, not " + size);
        }
    }

    @Override
    public String toString() {
        return "snapshot at index " + lastIndex + ", term " + lastTerm + " (" + size + " bytes, checksum "
                + String.format("%08x", checksum) + ")";
    }
}
