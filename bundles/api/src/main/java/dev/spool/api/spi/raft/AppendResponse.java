package dev.spool.api.spi.raft;

/**
 * Answers {@link AppendEntries}. A success reports how far the follower's log is known to match the leader's and
 * is durable by the follower's journal standard; a rejection carries the fast back-off hint: the conflicting term
 * and the first index the follower holds for that term, so the leader skips a whole term per round trip.
 *
 * @param from the follower
 * @param to the leader
 * @param term the follower's term
 * @param success whether the consistency check passed
 * @param matchIndex on success, the highest index known to match the leader's log and flushed; on rejection, the
 *     {@code prevLogIndex} of the rejected message
 * @param conflictTerm on rejection, the term of the follower's entry at the rejected {@code prevLogIndex}, or 0 if
 *     its log is shorter
 * @param conflictIndex on rejection, the first index the follower holds for {@code conflictTerm}, or its last index
 *     + 1 if its log is shorter
 * @param suspect whether the follower's log is suspect (it lost unforced data in a machine restart and has not yet
 *     caught up with a leader's commit index): the leader does not count it toward a commit quorum
 */
public record AppendResponse(
        String from,
        String to,
        long term,
        boolean success,
        long matchIndex,
        long conflictTerm,
        long conflictIndex,
        boolean suspect)
        implements RaftMessage {}
