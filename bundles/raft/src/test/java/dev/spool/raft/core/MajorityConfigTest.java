package dev.spool.raft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The quorum arithmetic, table-driven as etcd's quorum tests are: voters, what each reached, the answer. */
class MajorityConfigTest {

    /** Voters a..e by count, then learners that must never count. */
    private static MajorityConfig config(int voters, int learners) {
        final List<Member> members = new ArrayList<>();
        for (int i = 0; i < voters; i++) {
            members.add(Member.voter(String.valueOf((char) ('a' + i)), ""));
        }
        for (int i = 0; i < learners; i++) {
            members.add(new Member("l" + i, false, ""));
        }
        return new MajorityConfig(new Membership(members));
    }

    /** What voters a, b, c... reached, in that order; a learner reached {@code learner}. */
    private static AckedIndexer acked(long learner, long... byVoter) {
        return voter -> voter.startsWith("l")
                ? learner
                : voter.charAt(0) - 'a' < byVoter.length ? byVoter[voter.charAt(0) - 'a'] : 0;
    }

    @Test
    @DisplayName("the committed index is the highest a majority of voters reached; learners and missing voters do not"
            + " help")
    void committedIndex() {
        record Case(int voters, int learners, long learnerIndex, long[] acked, long committed) {}
        final List<Case> cases = List.of(
                new Case(1, 0, 0, new long[] {5}, 5),
                new Case(1, 2, 9, new long[] {5}, 5),
                new Case(2, 0, 0, new long[] {5, 3}, 3),
                new Case(3, 0, 0, new long[] {5, 3, 1}, 3),
                new Case(3, 0, 0, new long[] {5, 0, 0}, 0),
                new Case(3, 0, 0, new long[] {7, 7, 0}, 7),
                new Case(3, 2, 100, new long[] {7, 0, 0}, 0),
                new Case(4, 0, 0, new long[] {9, 8, 7, 6}, 7),
                new Case(4, 0, 0, new long[] {9, 8}, 0),
                new Case(5, 0, 0, new long[] {1, 2, 3, 4, 5}, 3),
                new Case(5, 1, 10, new long[] {10, 10, 0, 0, 0}, 0));
        for (Case c : cases) {
            assertEquals(
                    c.committed(),
                    config(c.voters(), c.learners()).committedIndex(acked(c.learnerIndex(), c.acked())),
                    c::toString);
        }
    }

    @Test
    @DisplayName("a campaign is won at a majority of grants, lost once the missing answers cannot make one, pending"
            + " otherwise; answers from non-voters are ignored")
    void voteResult() {
        record Case(int voters, String granted, String refused, VoteResult result) {}
        final List<Case> cases = List.of(
                new Case(1, "", "", VoteResult.PENDING),
                new Case(1, "a", "", VoteResult.WON),
                new Case(1, "", "a", VoteResult.LOST),
                new Case(3, "a", "", VoteResult.PENDING),
                new Case(3, "ab", "", VoteResult.WON),
                new Case(3, "a", "b", VoteResult.PENDING),
                new Case(3, "a", "bc", VoteResult.LOST),
                new Case(3, "al", "", VoteResult.PENDING),
                new Case(4, "ab", "", VoteResult.PENDING),
                new Case(4, "abc", "d", VoteResult.WON),
                new Case(4, "ab", "cd", VoteResult.LOST),
                new Case(5, "ab", "cd", VoteResult.PENDING),
                new Case(5, "a", "bcd", VoteResult.LOST));
        for (Case c : cases) {
            final Map<String, Boolean> votes = new HashMap<>();
            c.granted().chars().forEach(v -> votes.put(v == 'l' ? "l0" : String.valueOf((char) v), true));
            c.refused().chars().forEach(v -> votes.put(String.valueOf((char) v), false));
            assertEquals(c.result(), config(c.voters(), 1).voteResult(votes), c::toString);
        }
    }

    @Test
    @DisplayName("computing a committed index allocates nothing")
    void committedIndexAllocatesNothing() {
        final MajorityConfig config = config(5, 1);
        final long[] reached = {10, 20, 30, 40, 50};
        final AckedIndexer acked = voter -> reached[voter.charAt(0) - 'a'];
        final var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int i = 0; i < 100_000; i++) {
            sink += config.committedIndex(acked);
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            sink += config.committedIndex(acked);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 1_000, allocated + " bytes over 100,000 computations");
        assertEquals(2 * 100_000 * 30L, sink);
    }
}
