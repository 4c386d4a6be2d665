package dev.spool.api.group;

import java.util.Map;
import java.util.Objects;

/**
 * What one member of a group holds and, when it leads, how far its followers are: read for operators (console,
 * management), taken by the group's core between two steps, so the values belong together.
 *
 * @param snapshotIndex the last index covered by the latest snapshot, 0 if none
 * @param journalFirstIndex the first entry the journal still holds
 * @param journalLastIndex the last entry written to the journal
 * @param journalSegments the journal's segment files, 0 when the journal does not count them
 * @param journalBytes the size of the journal's segment files, 0 when the journal does not count them
 * @param durability the journal's durability
 * @param matchIndex on the leader, each other member's highest index known replicated; empty on any other member
 */
public record GroupProgress(
        long snapshotIndex,
        long journalFirstIndex,
        long journalLastIndex,
        int journalSegments,
        long journalBytes,
        Durability durability,
        Map<String, Long> matchIndex) {

    /** Takes an immutable copy of {@code matchIndex}. */
    public GroupProgress {
        Objects.requireNonNull(durability, "durability");
        matchIndex = Map.copyOf(matchIndex);
    }
}
