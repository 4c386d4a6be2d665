package dev.spool.raft.core;

import static dev.spool.raft.core.TestMember.ELECTION;
import static dev.spool.raft.core.TestMember.only;
import static dev.spool.raft.core.TestMember.voters;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.cluster.Membership;
import dev.spool.api.spi.raft.AppendEntries;
import dev.spool.api.spi.raft.AppendResponse;
import dev.spool.api.spi.raft.Heartbeat;
import dev.spool.api.spi.raft.RaftMessage;
import dev.spool.api.spi.raft.VoteRequest;
import dev.spool.api.spi.raft.VoteResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The rules of the Raft paper, sections 5.1 to 5.4, one test per rule, in the style of etcd's
 * {@code raft_paper_test.go}. Each test's name ends with the section it checks.
 */
class RaftPaperTest {

    private static final Membership ABC = voters("a", "b", "c");

    private static AppendEntries append(
            String from, String to, long term, long prev, long prevTerm, long last, long entryTerm, long commit) {
        return new AppendEntries(from, to, term, prev, prevTerm, last, entryTerm, commit, List.of());
    }

    /** A candidate of term 1 whose vote requests are held back. */
    private static TestCluster clusterWithCandidateA() {
        final TestCluster cluster = new TestCluster("a", "b", "c");
        cluster.drop = m -> m instanceof VoteRequest v && !v.preVote();
        cluster.elect("a");
        return cluster;
    }

    // ------------------------------------------------------------------------------------------------- 5.1

    @Test
    @DisplayName("5.1: a follower that sees a higher term adopts it and follows the sender")
    void followerUpdatesTermFromMessage_5_1() {
        final TestMember a = new TestMember("a", ABC);
        a.step(new Heartbeat("b", "a", 2, 0, 0));
        assertEquals(2, a.core.term());
        assertEquals(Role.FOLLOWER, a.core.role());
        assertEquals("b", a.core.leaderId());
        assertEquals(2, a.persistedTerm);
    }

    @Test
    @DisplayName("5.1: a candidate that sees a higher term becomes a follower")
    void candidateUpdatesTermFromMessage_5_1() {
        final TestCluster cluster = clusterWithCandidateA();
        final TestMember a = cluster.get("a");
        assertEquals(Role.CANDIDATE, a.core.role());
        a.step(append("b", "a", 3, 0, 0, 0, 0, 0));
        assertEquals(3, a.core.term());
        assertEquals(Role.FOLLOWER, a.core.role());
    }

    @Test
    @DisplayName("5.1: a leader that sees a higher term becomes a follower")
    void leaderUpdatesTermFromMessage_5_1() {
        final TestCluster cluster = new TestCluster("a", "b", "c");
        cluster.elect("a");
        final TestMember a = cluster.get("a");
        assertEquals(Role.LEADER, a.core.role());
        a.step(new Heartbeat("b", "a", 5, 0, 0));
        assertEquals(Role.FOLLOWER, a.core.role());
        assertEquals(5, a.core.term());
    }

    @Test
    @DisplayName("5.1: a message of a stale term is refused with the current term and changes nothing")
    void rejectsMessageWithStaleTerm_5_1() {
        final TestMember a = new TestMember("a", ABC);
        a.step(new Heartbeat("b", "a", 2, 0, 0));
        final List<RaftMessage> sent = a.step(append("c", "a", 1, 0, 0, 1, 1, 0));
        final AppendResponse response = only(AppendResponse.class, sent).get(0);
        assertFalse(response.success());
        assertEquals(2, response.term());
        assertEquals(0, a.core.lastIndex());
        assertEquals("b", a.core.leaderId());
    }

    // ------------------------------------------------------------------------------------------------- 5.2

    @Test
    @DisplayName("5.2: a member starts as a follower of term 0")
    void startsAsFollower_5_2() {
        final TestMember a = new TestMember("a", ABC);
        assertEquals(Role.FOLLOWER, a.core.role());
        assertEquals(0, a.core.term());
        assertNull(a.core.leaderId());
    }

    @Test
    @DisplayName("5.2: a leader sends heartbeats to every follower each heartbeat interval")
    void leaderSendsHeartbeats_5_2() {
        final TestCluster cluster = new TestCluster("a", "b", "c");
        cluster.elect("a");
        final TestMember a = cluster.get("a");
        a.tick(1);
        final List<Heartbeat> beats = only(Heartbeat.class, a.drain());
        assertEquals(2, beats.size());
        assertEquals(
                new HashSet<>(List.of("b", "c")),
                new HashSet<>(beats.stream().map(Heartbeat::to).toList()));
        assertTrue(beats.stream().allMatch(h -> h.term() == a.core.term()));
    }

    @Test
    @DisplayName("5.2: a follower that times out runs a pre-vote, then an election in term + 1 voting for itself")
    void followerStartsElectionAfterTimeout_5_2() {
        final TestMember a = new TestMember("a", ABC);
        a.tick(2 * ELECTION);
        final List<VoteRequest> preVotes = only(VoteRequest.class, a.drain());
        assertEquals(2, preVotes.size());
        assertTrue(preVotes.stream().allMatch(v -> v.preVote() && v.term() == 1));
        assertEquals(0, a.core.term(), "a pre-vote changes no term");
        assertEquals(Role.PRE_CANDIDATE, a.core.role());

        final List<VoteRequest> votes = only(VoteRequest.class, a.step(new VoteResponse("b", "a", 1, true, true)));
        assertEquals(Role.CANDIDATE, a.core.role());
        assertEquals(1, a.core.term());
        assertEquals("a", a.persistedVote);
        assertEquals(2, votes.size());
        assertTrue(votes.stream().allMatch(v -> !v.preVote() && v.term() == 1));
    }

    @Test
    @DisplayName("5.2: a candidate that receives votes from a majority becomes leader")
    void candidateWinsWithMajority_5_2() {
        final TestCluster cluster = clusterWithCandidateA();
        final TestMember a = cluster.get("a");
        a.step(new VoteResponse("b", "a", 1, false, true));
        assertEquals(Role.LEADER, a.core.role());
    }

    @Test
    @DisplayName("5.2: a candidate refused by a majority returns to follower")
    void candidateRefusedByMajorityBecomesFollower_5_2() {
        final TestCluster cluster = clusterWithCandidateA();
        final TestMember a = cluster.get("a");
        a.step(new VoteResponse("b", "a", 1, false, false));
        assertEquals(Role.CANDIDATE, a.core.role());
        a.step(new VoteResponse("c", "a", 1, false, false));
        assertEquals(Role.FOLLOWER, a.core.role());
    }

    @Test
    @DisplayName("5.2: a member votes for at most one candidate per term, first come first served")
    void voterGrantsAtMostOneVotePerTerm_5_2() {
        final TestMember b = new TestMember("b", ABC);
        assertTrue(only(VoteResponse.class, b.step(new VoteRequest("a", "b", 1, 0, 0, false, false)))
                .get(0)
                .granted());
        assertFalse(only(VoteResponse.class, b.step(new VoteRequest("c", "b", 1, 0, 0, false, false)))
                .get(0)
                .granted());
        assertTrue(
                only(VoteResponse.class, b.step(new VoteRequest("a", "b", 1, 0, 0, false, false)))
                        .get(0)
                        .granted(),
                "the same candidate asking again gets the same answer");
    }

    @Test
    @DisplayName("5.2: a candidate that hears from a leader of its term becomes its follower")
    void candidateFollowsLeaderOfItsTerm_5_2() {
        final TestCluster cluster = clusterWithCandidateA();
        final TestMember a = cluster.get("a");
        a.step(append("b", "a", 1, 0, 0, 0, 0, 0));
        assertEquals(Role.FOLLOWER, a.core.role());
        assertEquals("b", a.core.leaderId());
        assertEquals(1, a.core.term());
    }

    @Test
    @DisplayName("5.2: election timeouts are random between one and two election timeouts")
    void electionTimeoutsAreRandomized_5_2() {
        final var timeouts = new HashSet<Integer>();
        for (int i = 0; i < 50; i++) {
            final TestMember member = new TestMember("m" + i, voters("m" + i, "x", "y"));
            int ticks = 0;
            while (member.core.role() == Role.FOLLOWER) {
                member.core.tick();
                ticks++;
            }
            assertTrue(ticks >= ELECTION && ticks < 2 * ELECTION, "timeout " + ticks);
            timeouts.add(ticks);
        }
        assertTrue(timeouts.size() > 3, "timeouts vary: " + timeouts);
    }

    // ------------------------------------------------------------------------------------------------- 5.3

    @Test
    @DisplayName("5.3: a new leader appends a no-op of its term and replicates it; all commit it")
    void leaderAppendsNoopAndReplicates_5_3() {
        final TestCluster cluster = new TestCluster("a", "b", "c");
        cluster.elect("a");
        final TestMember a = cluster.get("a");
        final LogCommand noop = a.commands.get(0);
        assertEquals(LogCommand.Type.APPEND, noop.type());
        assertEquals(EntryKind.NOOP, noop.kind());
        assertEquals(1, noop.firstIndex());
        assertEquals(a.core.term(), noop.term());
        cluster.heartbeat("a");
        for (TestMember member : cluster.members.values()) {
            assertEquals(1, member.core.lastIndex());
            assertEquals(1, member.core.commitIndex());
        }
    }

    @Test
    @DisplayName("5.3: a leader counts its own entry toward the quorum only once its flush is reported")
    void leaderCountsOwnEntryOnlyWhenFlushed_5_3() {
        final TestCluster cluster = new TestCluster("a", "b", "c");
        final TestMember a = cluster.get("a");
        a.autoFlush = false;
        cluster.drop = m -> m.to().equals("c");
        cluster.elect("a");
        assertEquals(Role.LEADER, a.core.role());
        assertEquals(0, a.core.commitIndex(), "b alone has flushed the no-op: not a quorum");
        a.core.flushed(1, a.core.term());
        assertEquals(1, a.core.commitIndex());
    }

    @Test
    @DisplayName("5.3: a leader tells a follower a new commit index at once, not at the next heartbeat")
    void leaderAnnouncesCommitAtOnce_5_3() {
        final TestCluster cluster = TestCluster.elected();
        final TestMember a = cluster.get("a");
        a.core.propose();
        final AppendEntries toB = only(AppendEntries.class, a.drain()).stream()
                .filter(m -> m.to().equals("b"))
                .findFirst()
                .orElseThrow();
        final var fromA = new ArrayList<RaftMessage>();
        for (RaftMessage answer : cluster.get("b").step(toB)) {
            fromA.addAll(a.step(answer));
        }
        assertEquals(2, a.core.commitIndex());
        final List<Heartbeat> beats = only(Heartbeat.class, fromA);
        assertEquals(1, beats.size(), "only b is known to hold entry 2");
        assertEquals("b", beats.get(0).to());
        assertEquals(2, beats.get(0).commitIndex());
    }

    @Test
    @DisplayName("5.3: a follower commits up to the leader's commit index, within what matches the leader")
    void followerCommitsFromLeaderCommit_5_3() {
        final TestMember b = new TestMember("b", ABC);
        b.step(append("a", "b", 1, 0, 0, 3, 1, 2));
        assertEquals(2, b.core.commitIndex());
        b.step(append("a", "b", 1, 3, 1, 3, 0, 9));
        assertEquals(3, b.core.commitIndex(), "capped at the last entry known to match");
    }

    @Test
    @DisplayName("5.3: a follower takes a commit index only within what matches its leader in this term, even when"
            + " the same member led an earlier term")
    void followerMatchesItsLeaderAfreshEachTerm_5_3() {
        final TestMember b = new TestMember("b", ABC);
        b.step(append("a", "b", 2, 0, 0, 3, 2, 1)); // a leads term 2; entries 2..3 never commit
        // a loses term 3 to c, whose entries 2..5 commit; a follows c, then leads term 4 with c's entries. Its first
        // message to b in term 4 is a probe that matches at 1 (as the actor cuts a message it has no room for).
        b.step(append("a", "b", 4, 1, 2, 1, 0, 6));
        assertEquals(1, b.core.commitIndex(), "entries 2..3 of term 2 match nothing a leads in term 4");
        assertEquals(1, b.applied);
    }

    @Test
    @DisplayName("5.3: a follower whose storage has no room for more entries still truncates at a conflict, then"
            + " appends only what fits")
    void followerWithoutRoomStillTruncatesAtConflict_5_3() {
        final TestMember b = new TestMember("b", ABC);
        b.step(append("a", "b", 2, 0, 0, 3, 2, 1)); // entries 2..3 of term 2 will conflict
        b.log.appendLimit = 3; // every slot after 3 is taken: nothing more fits until 2..3 go
        final List<AppendResponse> responses = only(AppendResponse.class, b.step(append("c", "b", 3, 1, 2, 5, 3, 5)));
        final AppendResponse response = responses.get(responses.size() - 1); // the one sent once 2..3 are flushed
        assertEquals(
                1,
                b.commands.stream()
                        .filter(c -> c.type() == LogCommand.Type.TRUNCATE)
                        .count(),
                "the conflicting term-2 entries are dropped");
        assertEquals(3, b.core.lastIndex(), "then only 2..3 of term 3 fit");
        assertEquals(3, b.core.termAt(3));
        assertTrue(response.success());
        assertEquals(3, response.matchIndex());
        assertEquals(3, b.core.commitIndex());
        b.log.appendLimit = Long.MAX_VALUE;
        b.step(append("c", "b", 3, 3, 3, 5, 3, 5));
        assertEquals(5, b.core.commitIndex());
    }

    @Test
    @DisplayName("5.3: a follower refuses entries whose previous entry does not match, with the fast back-off hint")
    void followerRejectsOnConsistencyCheckWithHint_5_3() {
        final TestMember b = TestMember.withLog("b", ABC, 2, 1, 1, 2);
        final AppendResponse mismatch = only(AppendResponse.class, b.step(append("a", "b", 3, 3, 3, 3, 0, 0)))
                .get(0);
        assertFalse(mismatch.success());
        assertEquals(2, mismatch.conflictTerm());
        assertEquals(3, mismatch.conflictIndex(), "the first index b holds of term 2");
        final AppendResponse tooShort = only(AppendResponse.class, b.step(append("a", "b", 3, 5, 3, 5, 0, 0)))
                .get(0);
        assertFalse(tooShort.success());
        assertEquals(0, tooShort.conflictTerm());
        assertEquals(4, tooShort.conflictIndex(), "b's last index + 1");
    }

    @Test
    @DisplayName("5.3: a follower truncates only on a real conflict, never for entries it already holds")
    void followerTruncatesOnlyOnConflict_5_3() {
        final TestMember b = TestMember.withLog("b", ABC, 1, 1, 1, 1, 1);
        b.step(append("a", "b", 2, 1, 1, 3, 1, 0));
        assertEquals(4, b.core.lastIndex(), "a late message for entries held truncates nothing");
        assertTrue(b.commands.stream().noneMatch(c -> c.type() == LogCommand.Type.TRUNCATE));
        b.step(append("a", "b", 2, 2, 1, 3, 2, 0));
        final LogCommand truncate = b.commands.stream()
                .filter(c -> c.type() == LogCommand.Type.TRUNCATE)
                .findFirst()
                .orElseThrow();
        assertEquals(2, truncate.lastIndex());
        assertEquals(3, b.core.lastIndex());
        assertEquals(2, b.core.termAt(3));
    }

    @Test
    @DisplayName("5.3: a follower never truncates below its commit index")
    void followerNeverTruncatesCommittedEntries_5_3() {
        final TestMember b = TestMember.withLog("b", ABC, 1, 1, 1, 1);
        b.step(append("a", "b", 1, 0, 0, 3, 1, 3));
        assertEquals(3, b.core.commitIndex());
        assertThrows(IllegalStateException.class, () -> b.step(append("c", "b", 2, 1, 1, 3, 2, 0)));
    }

    @Test
    @DisplayName("5.3: a refused leader skips the follower's whole conflicting term (fast back-off)")
    void leaderBacksOffByConflictTerm_5_3() {
        final TestCluster cluster = new TestCluster("a", "b", "c");
        cluster.members.put("a", TestMember.withLog("a", ABC, 3, 1, 1, 2, 2));
        final TestMember a = cluster.get("a");
        a.winElectionWith("b");
        final List<AppendEntries> sent =
                only(AppendEntries.class, a.step(new AppendResponse("b", "a", 4, false, 4, 3, 3, false)));
        assertEquals(2, sent.get(0).prevLogIndex(), "a holds no term 3: next is b's first index of it");
        final List<AppendEntries> again =
                only(AppendEntries.class, a.step(new AppendResponse("b", "a", 4, false, 2, 1, 1, false)));
        assertEquals(1, again.get(0).prevLogIndex(), "never past the refused index");
    }

    @Test
    @DisplayName("5.3: replication is pipelined within a window of messages, each bounded in entries and bytes")
    void leaderPipelinesWithinWindow_5_3() {
        final TestCluster cluster = new TestCluster("a", "b", "c");
        cluster.elect("a");
        cluster.heartbeat("a");
        final TestMember a = cluster.get("a");
        for (int i = 0; i < 40; i++) {
            a.core.propose();
        }
        final List<AppendEntries> toB = only(AppendEntries.class, a.drain()).stream()
                .filter(m -> m.to().equals("b"))
                .toList();
        assertEquals(3, toB.size(), "the window holds 3 messages");
        long expectedPrev = 1;
        for (AppendEntries message : toB) {
            assertEquals(expectedPrev, message.prevLogIndex());
            assertEquals(4, message.entryCount(), "4 entries per message");
            expectedPrev = message.lastIndex();
        }
        final List<AppendEntries> more =
                only(AppendEntries.class, a.step(new AppendResponse("b", "a", a.core.term(), true, 5, 0, 0, false)));
        assertEquals(1, more.size(), "an acknowledgement frees one slot");
        assertEquals(13, more.get(0).prevLogIndex());
    }

    @Test
    @DisplayName("5.3: the pipelining window is also bounded in bytes in flight")
    void pipelineWindowBoundedInBytes_5_3() {
        final RaftConfig config = new RaftConfig("a", ELECTION, 1, 4, 1 << 20, 8, 500, 1000, 250, 1_000_000, 0);
        final TestMember a = new TestMember(config, voters("a", "b"), InitialState.bootstrap(voters("a", "b")));
        a.winElectionWith("b");
        a.step(new AppendResponse("b", "a", 1, true, 1, 0, 0, false));
        for (int i = 0; i < 40; i++) {
            a.core.propose();
        }
        final List<AppendEntries> sent = only(AppendEntries.class, a.drain());
        assertEquals(2, sent.size(), "400 bytes in flight leave room for one more message, 800 for none");
    }

    @Test
    @DisplayName("5.3: one message names no more record bytes than configured")
    void messageRespectsByteLimit_5_3() {
        final RaftConfig small = new RaftConfig("a", ELECTION, 1, 100, 250, 3, 1 << 20, 1000, 250, 1_000_000, 0);
        final TestMember a = new TestMember(small, voters("a", "b"), InitialState.bootstrap(voters("a", "b")));
        a.winElectionWith("b");
        a.step(new AppendResponse("b", "a", 1, true, 1, 0, 0, false));
        for (int i = 0; i < 10; i++) {
            a.core.propose();
        }
        for (AppendEntries message : only(AppendEntries.class, a.drain())) {
            assertTrue(message.entryCount() * MemoryLog.ENTRY_BYTES <= 250, message.toString());
        }
    }

    // ------------------------------------------------------------------------------------------------- 5.4

    @Test
    @DisplayName("5.4.1: a voter refuses a candidate whose log is less up to date than its own")
    void voterRejectsOutOfDateCandidate_5_4_1() {
        final TestMember b = TestMember.withLog("b", ABC, 2, 1, 2);
        assertFalse(
                only(VoteResponse.class, b.step(new VoteRequest("a", "b", 3, 5, 1, false, false)))
                        .get(0)
                        .granted(),
                "lower last term");
        final TestMember c = TestMember.withLog("c", ABC, 2, 1, 2);
        assertFalse(
                only(VoteResponse.class, c.step(new VoteRequest("a", "c", 3, 1, 2, false, false)))
                        .get(0)
                        .granted(),
                "same last term, shorter log");
        final TestMember d = TestMember.withLog("d", ABC, 2, 1, 2);
        assertTrue(
                only(VoteResponse.class, d.step(new VoteRequest("a", "d", 3, 2, 2, false, false)))
                        .get(0)
                        .granted(),
                "as up to date");
    }

    @Test
    @DisplayName("5.4.2: a leader commits by counting replicas only entries of its own term")
    void leaderOnlyCommitsCurrentTermEntriesByCounting_5_4_2() {
        final TestMember a = TestMember.withLog("a", ABC, 2, 1, 2);
        a.winElectionWith("b");
        a.step(new AppendResponse("b", "a", 3, true, 2, 0, 0, false));
        assertEquals(0, a.core.commitIndex(), "entry 2 of term 2 is on a quorum but not of term 3");
        a.step(new AppendResponse("b", "a", 3, true, 3, 0, 0, false));
        assertEquals(3, a.core.commitIndex(), "the no-op commits, and entries 1 and 2 with it");
    }

    @Test
    @DisplayName("5.4: term and vote are persisted in the Ready that sends the vote, before it leaves")
    void termAndVotePersistedBeforeVoteLeaves_5_4() {
        final TestMember b = new TestMember("b", ABC);
        final Ready ready;
        b.core.step(new VoteRequest("a", "b", 4, 0, 0, false, false));
        ready = b.core.ready();
        assertTrue(ready.hardStateChanged());
        assertEquals(4, ready.term());
        assertEquals("a", ready.votedFor());
        assertTrue(ready.messages().get(0) instanceof VoteResponse v && v.granted());
    }

    @Test
    @DisplayName("5.4: no message ever carries a term that was not persisted first")
    void messagesNeverCarryUnpersistedTerm_5_4() {
        final TestCluster cluster = new TestCluster("a", "b", "c");
        cluster.elect("a");
        cluster.propose("a", 5);
        assertTrue(cluster.get("a").core.transferLeadership("b"));
        cluster.deliver(cluster.get("a").drain());
        cluster.propose("b", 5);
        for (TestMember member : cluster.members.values()) {
            assertTrue(member.persistedBeforeSend, member.core.toString());
        }
    }
}
