package dev.spool.api.spi.raft;

import java.util.List;

/**
 * Replicates a range of the leader's log (Raft §5.3). The message names the records, it does not carry them: the
 * transport attaches the records {@code prevLogIndex + 1 .. lastIndex} exactly as they lie in the leader's journal.
 * All entries of one message have the same term ({@code entryTerm}); a leader sends entries of several terms as
 * several messages. An empty range ({@code lastIndex == prevLogIndex}) only probes the consistency check.
 *
 * @param from the leader
 * @param to the follower
 * @param term the leader's term
 * @param prevLogIndex the index of the entry just before the range (0 before the first entry)
 * @param prevLogTerm the term of that entry (0 before the first entry)
 * @param lastIndex the index of the last entry of the range; {@code prevLogIndex} for an empty range
 * @param entryTerm the term of every entry of the range (0 for an empty range)
 * @param leaderCommit the leader's commit index
 * @param memberships the membership-change entries within the range, in index order (usually none); they let the
 *     follower's core adopt a membership when it appends the entry without decoding payloads
 */
public record AppendEntries(
        String from,
        String to,
        long term,
        long prevLogIndex,
        long prevLogTerm,
        long lastIndex,
        long entryTerm,
        long leaderCommit,
        List<MembershipEntry> memberships)
        implements RaftMessage {

    /**
     * Checks the range and takes an immutable copy of the membership entries.
     *
     * @throws IllegalArgumentException if the range is inverted or a membership entry lies outside it
     */
    public AppendEntries {
        memberships = List.copyOf(memberships);
        if (prevLogIndex < 0 || lastIndex < prevLogIndex) {
            throw new IllegalArgumentException("invalid range after " + prevLogIndex + " up to " + lastIndex);
        }
        for (MembershipEntry entry : memberships) {
            if (entry.index() <= prevLogIndex || entry.index() > lastIndex) {
                throw new IllegalArgumentException(
                        "membership entry " + entry.index() + " outside " + (prevLogIndex + 1) + ".." + lastIndex);
            }
        }
    }

    /**
     * Returns the index of the first entry of the range.
     *
     * @return {@code prevLogIndex + 1}
     */
    public long firstIndex() {
        return prevLogIndex + 1;
    }

    /**
     * Returns how many entries the range holds.
     *
     * @return the entry count, 0 for a probe
     */
    public long entryCount() {
        return lastIndex - prevLogIndex;
    }
}
