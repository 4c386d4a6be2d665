package dev.spool.raft.core;

import static dev.spool.raft.core.TestCluster.elected;
import static dev.spool.raft.core.TestMember.ELECTION;
import static dev.spool.raft.core.TestMember.only;
import static dev.spool.raft.core.TestMember.voters;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.cluster.Membership;
import dev.spool.api.spi.raft.AppendEntries;
import dev.spool.api.spi.raft.AppendResponse;
import dev.spool.api.spi.raft.Heartbeat;
import dev.spool.api.spi.raft.RaftMessage;
import dev.spool.api.spi.raft.TimeoutNow;
import dev.spool.api.spi.raft.VoteRequest;
import dev.spool.api.spi.raft.VoteResponse;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The protocol extensions beyond the paper's core: pre-vote, check-quorum, transfer, read-index, suspect logs. */
class RaftExtensionsTest {

    private static final Membership ABC = voters("a", "b", "c");

    // -------------------------------------------------------------------------------------------- pre-vote

    @Test
    @DisplayName("pre-vote: an isolated member campaigning again and again never raises its term")
    void isolatedMemberKeepsItsTerm_preVote() {
        final TestMember a = new TestMember("a", ABC);
        for (int i = 0; i < 10; i++) {
            a.tick(2 * ELECTION);
            a.drain();
        }
        assertEquals(0, a.core.term());
        assertEquals(Role.PRE_CANDIDATE, a.core.role());
    }

    @Test
    @DisplayName("pre-vote: a member rejoining after a partition does not depose the leader")
    void rejoiningMemberDoesNotDisrupt_preVote() {
        final TestCluster cluster = elected();
        final long term = cluster.get("a").core.term();
        cluster.drop = m -> m.to().equals("c") || m.from().equals("c");
        for (int i = 0; i < 5 * ELECTION; i++) {
            cluster.heartbeat("a");
            cluster.get("c").tick(1);
            cluster.deliver(cluster.get("c").drain());
        }
        cluster.drop = m -> false;
        cluster.get("c").tick(2 * ELECTION);
        cluster.deliver(cluster.get("c").drain());
        cluster.heartbeat("a");
        assertEquals(Role.LEADER, cluster.get("a").core.role());
        assertEquals(term, cluster.get("a").core.term());
        assertEquals("a", cluster.get("c").core.leaderId());
    }

    @Test
    @DisplayName("pre-vote: a granted pre-vote changes neither the voter's term nor its vote")
    void preVoteChangesNoState_preVote() {
        final TestMember b = new TestMember("b", ABC);
        final VoteResponse answer = only(VoteResponse.class, b.step(new VoteRequest("a", "b", 1, 0, 0, true, false)))
                .get(0);
        assertTrue(answer.granted());
        assertEquals(0, b.core.term());
        assertNull(b.core.votedFor());
    }

    // --------------------------------------------------------------------------------------- check-quorum

    @Test
    @DisplayName("check-quorum: a leader that has not heard from a quorum within an election timeout steps down")
    void leaderWithoutQuorumStepsDown_checkQuorum() {
        final TestCluster cluster = elected();
        cluster.drop = m -> m.to().equals("a");
        for (int i = 0; i < 2 * ELECTION; i++) {
            cluster.heartbeat("a");
        }
        assertEquals(Role.FOLLOWER, cluster.get("a").core.role());
    }

    @Test
    @DisplayName("check-quorum: a follower that heard from its leader within the timeout refuses votes and pre-votes")
    void followerInLeaseRefusesVotes_checkQuorum() {
        final TestCluster cluster = elected();
        final TestMember b = cluster.get("b");
        final long term = b.core.term();
        final VoteResponse vote = only(
                        VoteResponse.class, b.step(new VoteRequest("c", "b", term + 1, 10, term, false, false)))
                .get(0);
        assertFalse(vote.granted());
        assertEquals(term, b.core.term(), "the vote request did not raise b's term");
        final VoteResponse preVote = only(
                        VoteResponse.class, b.step(new VoteRequest("c", "b", term + 1, 10, term, true, false)))
                .get(0);
        assertFalse(preVote.granted());
    }

    // -------------------------------------------------------------------------------------------- transfer

    @Test
    @DisplayName("transfer: the leader catches the target up, sends TimeoutNow, and the target wins despite leases")
    void leadershipTransfer_transfer() {
        final TestCluster cluster = elected();
        cluster.drop = m -> m.to().equals("b") && m instanceof AppendEntries;
        cluster.propose("a", 3);
        cluster.drop = m -> false;
        final TestMember a = cluster.get("a");
        assertTrue(a.core.transferLeadership("b"));
        final List<RaftMessage> sent = a.drain();
        assertTrue(only(TimeoutNow.class, sent).isEmpty(), "b is behind: catch it up first");
        cluster.deliver(sent);
        assertEquals(Role.LEADER, cluster.get("b").core.role());
        assertEquals(Role.FOLLOWER, a.core.role());
    }

    @Test
    @DisplayName("transfer: proposals are refused during a transfer, which is abandoned after an election timeout")
    void transferAbortsAfterElectionTimeout_transfer() {
        final TestCluster cluster = elected();
        final TestMember a = cluster.get("a");
        cluster.drop = m -> m instanceof TimeoutNow;
        assertTrue(a.core.transferLeadership("b"));
        cluster.deliver(a.drain());
        assertEquals(0, a.core.propose());
        for (int i = 0; i < ELECTION; i++) {
            cluster.heartbeat("a");
        }
        assertNull(a.core.transferee());
        assertTrue(a.core.propose() > 0);
    }

    @Test
    @DisplayName("transfer: a vote request of a transfer skips pre-vote and is not refused for leader stickiness")
    void transferCampaignSkipsPreVoteAndLease_transfer() {
        final TestCluster cluster = elected();
        final TestMember b = cluster.get("b");
        final long term = b.core.term();
        final List<VoteRequest> requests = only(VoteRequest.class, b.step(new TimeoutNow("a", "b", term)));
        assertTrue(requests.stream().allMatch(v -> !v.preVote() && v.leadershipTransfer() && v.term() == term + 1));
        final VoteResponse answer = only(
                        VoteResponse.class,
                        cluster.get("c")
                                .step(requests.stream()
                                        .filter(v -> v.to().equals("c"))
                                        .findFirst()
                                        .orElseThrow()))
                .get(0);
        assertTrue(answer.granted(), "c heard from a moments ago, but the transfer flag overrides its lease");
    }

    // ------------------------------------------------------------------------------------------ read index

    @Test
    @DisplayName("read-index: a read that reaches a new leader before its no-op commits waits for the no-op")
    void readBeforeNoopCommitsWaitsForIt_readIndex() {
        final TestCluster cluster = new TestCluster("a", "b", "c");
        cluster.drop = m -> m instanceof AppendResponse;
        cluster.elect("a");
        final TestMember a = cluster.get("a");
        assertEquals(Role.LEADER, a.core.role());
        assertTrue(a.core.readIndex(1), "a leader takes a read before its no-op commits");
        cluster.heartbeat("a");
        assertTrue(a.reads.isEmpty(), "confirmed as leader, but what it read would miss entries not yet committed");
        cluster.drop = m -> false;
        cluster.heartbeat("a");
        assertEquals(List.of(1L), a.reads, "served once the no-op committed and applied");
    }

    @Test
    @DisplayName("read-index: a read is served only after a heartbeat quorum confirms leadership")
    void readWaitsForHeartbeatQuorum_readIndex() {
        final TestCluster cluster = elected();
        final TestMember a = cluster.get("a");
        assertTrue(a.core.readIndex(7));
        final List<RaftMessage> beats = a.drain();
        assertTrue(a.reads.isEmpty(), "not confirmed yet");
        final List<Heartbeat> heartbeats = only(Heartbeat.class, beats);
        assertEquals(2, heartbeats.size());
        assertTrue(heartbeats.stream().allMatch(h -> h.context() > 0));
        cluster.drop = m -> m.from().equals("c");
        cluster.deliver(beats);
        assertEquals(List.of(7L), a.reads, "a and b are a quorum");
    }

    @Test
    @DisplayName("read-index: a deposed leader confirms no read")
    void deposedLeaderConfirmsNoRead_readIndex() {
        final TestCluster cluster = elected();
        final TestMember a = cluster.get("a");
        assertTrue(a.core.readIndex(7));
        cluster.drop = m -> true;
        a.drain();
        a.step(new Heartbeat("b", "a", a.core.term() + 1, 0, 0));
        cluster.drop = m -> false;
        cluster.heartbeat("a");
        assertTrue(a.reads.isEmpty());
    }

    // ----------------------------------------------------------------------------------------- suspect log

    private static TestMember suspect(String id) {
        return new TestMember(
                TestMember.config(id), ABC, InitialState.atSnapshot(1, null, 0, 0, 0, ABC, List.of(), true), 1, 1);
    }

    @Test
    @DisplayName("suspect log: a member whose log may have lost unforced data neither votes nor campaigns")
    void suspectMemberNeitherVotesNorCampaigns_suspect() {
        final TestMember c = suspect("c");
        assertFalse(only(VoteResponse.class, c.step(new VoteRequest("a", "c", 2, 9, 1, false, false)))
                .get(0)
                .granted());
        c.tick(3 * ELECTION);
        assertTrue(c.drain().isEmpty());
    }

    @Test
    @DisplayName("suspect log: a leader does not count a suspect member toward a commit quorum")
    void suspectMemberDoesNotCount_suspect() {
        final TestMember a = TestMember.withLog("a", ABC, 1, 1, 1);
        a.winElectionWith("b");
        a.step(new AppendResponse("c", "a", 2, true, 3, 0, 0, true));
        assertEquals(0, a.core.commitIndex());
        a.step(new AppendResponse("c", "a", 2, true, 3, 0, 0, false));
        assertEquals(3, a.core.commitIndex());
    }

    @Test
    @DisplayName("suspect log: the suspicion ends once the member holds a current leader's commit index of its term")
    void suspicionEndsAfterCatchingUp_suspect() {
        final TestMember c = suspect("c");
        c.step(new AppendEntries("a", "c", 2, 2, 1, 2, 0, 2, List.of()));
        assertTrue(c.core.isSuspect(), "commit index 2 is of term 1: earlier commits may lie beyond it");
        c.step(new AppendEntries("a", "c", 2, 2, 1, 3, 2, 3, List.of()));
        assertFalse(c.core.isSuspect());
    }

    // ------------------------------------------------------------------------------------------ full journal

    @Test
    @DisplayName("full journal: a leader out of space for an election timeout steps down when the others make a"
            + " majority, and does not campaign or take a transfer while full; once it has room it campaigns again")
    void fullLeaderStepsDown_fullJournal() {
        final TestCluster cluster = elected();
        final TestMember a = cluster.get("a");
        a.core.journalFull(true);
        for (int i = 0; i < ELECTION - 1; i++) {
            cluster.heartbeat("a"); // the followers answer: check-quorum holds
        }
        assertEquals(Role.LEADER, a.core.role(), "an election timeout is given to the journal to take entries again");
        cluster.heartbeat("a");
        assertEquals(Role.FOLLOWER, a.core.role());
        assertNull(a.core.leaderId());
        a.tick(3 * ELECTION);
        a.step(new TimeoutNow("b", "a", a.core.term()));
        assertTrue(a.drain().stream().noneMatch(m -> m instanceof VoteRequest), "a full member does not campaign");
        a.core.journalFull(false);
        a.tick(3 * ELECTION);
        assertTrue(a.drain().stream().anyMatch(m -> m instanceof VoteRequest), "with room it campaigns again");
    }

    @Test
    @DisplayName("full journal: a leader out of space keeps leading where the others cannot decide without it (two"
            + " voters): stepping down would only end its reads")
    void fullLeaderOfTwoKeepsLeading_fullJournal() {
        final TestCluster cluster = new TestCluster("a", "b");
        cluster.elect("a");
        final TestMember a = cluster.get("a");
        assertEquals(Role.LEADER, a.core.role());
        a.core.journalFull(true);
        for (int i = 0; i < 3 * ELECTION; i++) {
            cluster.heartbeat("a");
        }
        assertEquals(Role.LEADER, a.core.role());
    }
}
