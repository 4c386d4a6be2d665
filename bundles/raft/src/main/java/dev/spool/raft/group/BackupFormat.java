package dev.spool.raft.group;

import java.nio.charset.StandardCharsets;

/**
 * The layout of a group's backup file, all integers big-endian ({@code DataOutput}), strings as {@code writeUTF}:
 *
 * <pre>
 * magic "SPOOLBAK" · version (2) · group · member it was taken on · time taken (8, ms since the epoch)
 * snapshot: last index (8) · last term (8) · state machine format version (4) · membership · content length (8)
 *           · content (the snapshot's content as the group wrote it: its session table, then the state machine's)
 * entries:  batches, each: byte count (4, &gt; 0) · whole journal records as they lie in the journal
 *           (docs/journal-format.md), consecutive from the snapshot's last index + 1 · then a byte count of 0
 * trailer:  last index (8) · last term (8) · membership at the last index
 * checksum: CRC32C (4) of every byte before it
 * </pre>
 *
 * The entries are exactly those after the snapshot up to the last index, all committed when the backup was taken.
 */
final class BackupFormat {

    static final byte[] MAGIC = "SPOOLBAK".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    /** The copy buffer, and the most bytes a batch holds beyond its first record. */
    static final int CHUNK_BYTES = 64 << 10;

    private BackupFormat() {}
}
