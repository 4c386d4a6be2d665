package dev.spool.raft.group;

import dev.spool.api.spi.snapshot.SnapshotDescriptor;
import java.io.InvalidObjectException;
import java.nio.ByteBuffer;

/**
 * Reads the identity of a stored snapshot from the first bytes of its file, as docs/snapshot-format.md lays them
 * out (big-endian): header length at offset 12, last included index at 16 and term at 24, body length at 40, body
 * checksum at 56. A follower learns from it what to check the chunks a leader sends against.
 */
final class StoredSnapshotHeader {

    /** The fixed part of the header that holds every field read here. */
    private static final int FIXED_BYTES = 64;

    private StoredSnapshotHeader() {}

    /**
     * Returns the descriptor of the snapshot whose stored bytes start {@code firstChunk}.
     *
     * @param firstChunk the first bytes of the stored snapshot, from its position
     * @return the descriptor
     * @throws InvalidObjectException if the bytes are too few or the values impossible
     */
    static SnapshotDescriptor descriptor(ByteBuffer firstChunk) throws InvalidObjectException {
        final int start = firstChunk.position();
        if (firstChunk.remaining() < FIXED_BYTES) {
            throw new InvalidObjectException("the first snapshot chunk has " + firstChunk.remaining()
                    + " bytes, fewer than the " + FIXED_BYTES + " of a snapshot header");
        }
        final long headerLength = Integer.toUnsignedLong(firstChunk.getInt(start + 12));
        final long bodyLength = firstChunk.getLong(start + 40);
        try {
            return new SnapshotDescriptor(
                    firstChunk.getLong(start + 16),
                    firstChunk.getLong(start + 24),
                    headerLength + bodyLength,
                    firstChunk.getInt(start + 56));
        } catch (IllegalArgumentException e) {
            final var failure =
                    new InvalidObjectException("the first snapshot chunk is not a snapshot header: " + e.getMessage());
            failure.initCause(e);
            throw failure;
        }
    }
}
