package dev.spool.api.spi.snapshot;

/**
 * How a store encodes the bytes a state machine writes. A store chooses one for the snapshots it writes; readers
 * learn each snapshot's encoding from its header, so changing the setting never makes older snapshots unreadable.
 */
public enum SnapshotCompression {
    /** The bytes are stored as written. */
    NONE,
    /** The bytes are stored as a sequence of independently decodable LZ4 blocks. */
    LZ4
}
