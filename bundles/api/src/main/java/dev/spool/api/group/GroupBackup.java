package dev.spool.api.group;

import dev.spool.api.cluster.Membership;
import java.nio.file.Path;

/**
 * What {@link RaftGroup#backup} wrote: one file holding a snapshot of the group's state machine and the committed
 * entries after it, up to {@code lastIndex}.
 *
 * @param file the backup file
 * @param group the group backed up
 * @param snapshotIndex the last index the file's snapshot covers
 * @param lastIndex the last entry the file holds (its snapshot's index if it holds no entries)
 * @param lastTerm the term of {@code lastIndex}
 * @param membership the membership in effect at {@code lastIndex}
 * @param bytes the file's size in bytes
 */
public record GroupBackup(
        Path file, String group, long snapshotIndex, long lastIndex, long lastTerm, Membership membership, long bytes) {

    /** @return how many journal entries after the snapshot the file holds */
    public long entries() {
        return lastIndex - snapshotIndex;
    }
}
