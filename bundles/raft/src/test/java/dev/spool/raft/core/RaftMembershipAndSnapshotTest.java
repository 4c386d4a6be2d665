package dev.spool.raft.core;

import static dev.spool.raft.core.TestCluster.elected;
import static dev.spool.raft.core.TestMember.ELECTION;
import static dev.spool.raft.core.TestMember.voters;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.spi.raft.AppendEntries;
import dev.spool.api.spi.raft.AppendResponse;
import dev.spool.api.spi.raft.Heartbeat;
import dev.spool.api.spi.raft.InstallSnapshot;
import dev.spool.api.spi.raft.MembershipEntry;
import dev.spool.api.spi.raft.RaftMessage;
import dev.spool.api.spi.raft.SnapshotResponse;
import dev.spool.api.spi.raft.TimeoutNow;
import dev.spool.api.spi.raft.VoteRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The rules of the Raft paper's sections 6 (membership changes) and 7 (log compaction), one test per rule. */
class RaftMembershipAndSnapshotTest {

    private static final Membership ABC = voters("a", "b", "c");

    // ------------------------------------------------------------------------------------------------- 6

    @Test
    @DisplayName("6: a membership takes effect when its entry is appended, and the entry is always durable")
    void membershipTakesEffectWhenAppended_6() {
        final TestCluster cluster = elected();
        final TestMember a = cluster.get("a");
        final Membership withD = ABC.with(Member.voter("d", ""));
        final long index = a.core.proposeMembership(withD);
        assertTrue(index > 0);
        assertEquals(withD, a.core.membership(), "in effect before it commits");
        final List<RaftMessage> sent = a.drain();
        final LogCommand append = a.commands.get(a.commands.size() - 1);
        assertEquals(EntryKind.MEMBERSHIP, append.kind());
        assertEquals(withD, append.membership());
        assertTrue(append.forced());
        cluster.deliver(sent);
        final LogCommand replicated =
                cluster.get("b").commands.get(cluster.get("b").commands.size() - 1);
        assertTrue(replicated.forced(), "a follower forces a range holding a membership entry too");
        assertEquals(withD, cluster.get("b").core.membership());
    }

    @Test
    @DisplayName("6: a leader changes membership only after committing an entry of its term, one change at a time")
    void oneMembershipChangeAtATimeAfterOwnCommit_6() {
        final TestCluster cluster = new TestCluster("a", "b", "c");
        cluster.drop = m -> m instanceof AppendResponse;
        cluster.elect("a");
        final TestMember a = cluster.get("a");
        assertEquals(Role.LEADER, a.core.role());
        assertEquals(0, a.core.proposeMembership(ABC.with(Member.voter("d", ""))), "its no-op is not committed");
        cluster.drop = m -> false;
        cluster.heartbeat("a");
        assertTrue(a.core.proposeMembership(ABC.with(Member.voter("d", ""))) > 0);
        assertEquals(
                0,
                a.core.proposeMembership(ABC.with(Member.voter("d", "")).with(Member.voter("e", ""))),
                "the first change is not committed");
    }

    @Test
    @DisplayName("6: a membership change changes exactly one member")
    void membershipChangeOfSeveralMembersIsRefused_6() {
        final TestCluster cluster = elected();
        final Membership twoMore = ABC.with(Member.voter("d", "")).with(Member.voter("e", ""));
        assertThrows(IllegalArgumentException.class, () -> cluster.get("a").core.proposeMembership(twoMore));
    }

    @Test
    @DisplayName("6: a membership whose entry is truncated reverts to the one before")
    void truncatedMembershipEntryReverts_6() {
        final TestMember b = new TestMember("b", ABC);
        final Membership withD = ABC.with(Member.voter("d", ""));
        b.step(new AppendEntries("a", "b", 1, 0, 0, 2, 1, 0, List.of(new MembershipEntry(2, withD))));
        assertEquals(withD, b.core.membership());
        b.step(new AppendEntries("c", "b", 2, 1, 1, 2, 2, 0, List.of()));
        assertEquals(ABC, b.core.membership());
    }

    @Test
    @DisplayName("6: a leader that removed itself leads until the change commits, then steps down")
    void removedLeaderStepsDownOnCommit_6() {
        final TestCluster cluster = elected();
        final TestMember a = cluster.get("a");
        assertTrue(a.core.proposeMembership(ABC.without("a")) > 0);
        assertEquals(Role.LEADER, a.core.role());
        cluster.deliver(a.drain());
        assertEquals(Role.FOLLOWER, a.core.role());
        a.tick(3 * ELECTION);
        assertTrue(a.drain().isEmpty(), "a member outside the membership never campaigns");
    }

    @Test
    @DisplayName("6: a non-voting member receives the log but neither campaigns nor counts toward commits")
    void learnerNeitherCampaignsNorCounts_6() {
        final Membership withLearner = voters("a", "b").with(Member.learner("l", ""));
        final TestMember learner = new TestMember("l", withLearner);
        learner.tick(3 * ELECTION);
        assertTrue(learner.drain().isEmpty());
        final TestMember a = new TestMember("a", withLearner);
        a.autoFlush = false;
        a.winElectionWith("b");
        a.core.flushed(1, 1);
        a.step(new AppendResponse("l", "a", 1, true, 1, 0, 0, false));
        assertEquals(0, a.core.commitIndex(), "a and the learner are not a quorum of {a, b}");
    }

    @Test
    @DisplayName("6: a member refuses, unanswered and counted, every message from a sender no membership from its"
            + " commit index on names")
    void messagesFromStrangersAreRefused_6() {
        final TestMember b = new TestMember("b", ABC);
        b.step(new Heartbeat("a", "b", 1, 0, 0)); // b follows a live leader
        final List<RaftMessage> strangers = List.of(
                new AppendEntries("x", "b", 5, 0, 0, 1, 5, 1, List.of()),
                new Heartbeat("x", "b", 5, 0, 0),
                new InstallSnapshot("x", "b", 5, 9, 5, voters("x", "b"), 0, 10, true),
                new TimeoutNow("x", "b", 5),
                new VoteRequest("x", "b", 5, 9, 5, true, false),
                new VoteRequest("x", "b", 5, 9, 5, false, true),
                new AppendResponse("x", "b", 5, true, 1, 0, 0, false));
        for (RaftMessage message : strangers) {
            assertTrue(b.step(message).isEmpty(), "no answer to " + message);
        }
        assertEquals(1, b.core.term(), "no stranger moves the term");
        assertEquals("a", b.core.leaderId());
        assertEquals(0, b.core.lastIndex());
        assertEquals(strangers.size(), b.core.refusedMessages());
    }

    @Test
    @DisplayName("6: a member removed by a committed change cannot disrupt the group: its vote requests go unanswered"
            + " and move no term (§4.2.3)")
    void removedMemberCannotDisrupt_6() {
        final TestCluster cluster = elected();
        final TestMember a = cluster.get("a");
        assertTrue(a.core.proposeMembership(ABC.without("c")) > 0);
        cluster.deliver(a.drain());
        cluster.heartbeat("a");
        final TestMember b = cluster.get("b");
        assertEquals(a.core.lastIndex(), b.core.commitIndex(), "b knows the removal committed");
        final long term = b.core.term();
        b.tick(2 * ELECTION); // b's leader lease has run out: only the membership stands in the way
        b.drain();
        cluster.drop = m -> true;
        assertTrue(b.step(new VoteRequest("c", "b", term + 5, 99, term + 5, false, false))
                .isEmpty());
        assertTrue(b.step(new VoteRequest("c", "b", term + 5, 99, term + 5, true, false))
                .isEmpty());
        assertTrue(b.core.term() <= term + 1, "c's term is not adopted: " + b.core.term());
        assertEquals(2, b.core.refusedMessages());
    }

    @Test
    @DisplayName("6: a member that missed the change adding its new leader follows that leader once it has no live"
            + " leader it knows, and learns the change from it")
    void memberBehindAChangeFollowsTheNewLeader_6() {
        final TestMember b = new TestMember("b", ABC);
        b.step(new AppendEntries("a", "b", 1, 0, 0, 1, 1, 1, List.of()));
        final Membership withD = ABC.with(Member.voter("d", ""));
        final var fromD = new AppendEntries("d", "b", 3, 1, 1, 3, 2, 3, List.of(new MembershipEntry(2, withD)));
        assertTrue(b.step(fromD).isEmpty(), "while a's lease holds, d is a stranger to b");
        assertEquals(1, b.core.refusedMessages());
        b.tick(ELECTION);
        b.drain();
        b.step(fromD);
        assertEquals("d", b.core.leaderId());
        assertEquals(withD, b.core.membership());
        assertEquals(3, b.core.commitIndex());
    }

    @Test
    @DisplayName("6: members that appended a leader's removal of itself still follow it until the change commits")
    void leaderRemovingItselfIsFollowedUntilCommit_6() {
        final TestMember b = new TestMember("b", ABC);
        final Membership bc = ABC.without("a");
        b.step(new AppendEntries("a", "b", 1, 0, 0, 2, 1, 1, List.of(new MembershipEntry(2, bc))));
        assertEquals(bc, b.core.membership());
        b.step(new Heartbeat("a", "b", 1, 2, 0));
        assertEquals(2, b.core.commitIndex(), "the removed leader's commit index is taken");
        assertEquals(0, b.core.refusedMessages());
        assertTrue(b.step(new VoteRequest("a", "b", 2, 2, 1, false, true)).isEmpty());
        assertEquals(1, b.core.refusedMessages(), "once its removal committed, a campaigns in vain");
    }

    // ------------------------------------------------------------------------------------------------- 7

    private static RaftConfig snapshotting(String id) {
        return new RaftConfig(id, ELECTION, 1, 4, 1 << 20, 3, 1 << 20, 1000, 250, 5, 0);
    }

    private static TestCluster snapshottingCluster() {
        final TestCluster cluster = new TestCluster();
        for (String id : List.of("a", "b", "c")) {
            cluster.members.put(id, new TestMember(snapshotting(id), ABC, InitialState.bootstrap(ABC)));
        }
        return cluster;
    }

    @Test
    @DisplayName("7: after enough applied entries the core asks for a snapshot, then compacts the log behind it")
    void snapshotThenCompaction_7() {
        final TestCluster cluster = snapshottingCluster();
        cluster.elect("a");
        cluster.propose("a", 6);
        cluster.heartbeat("a");
        final TestMember a = cluster.get("a");
        assertTrue(a.core.snapshotIndex() >= 5);
        assertTrue(a.commands.stream().anyMatch(c -> c.type() == LogCommand.Type.COMPACT));
        assertEquals(a.core.snapshotIndex() + 1, a.log.firstIndex());
    }

    @Test
    @DisplayName("7: a follower whose next entry was compacted away receives the snapshot in chunks, resumably")
    void laggingFollowerReceivesSnapshotInChunks_7() {
        final TestCluster cluster = snapshottingCluster();
        cluster.drop = m -> m.to().equals("c") || m.from().equals("c");
        cluster.elect("a");
        cluster.propose("a", 8);
        cluster.heartbeat("a");
        final TestMember a = cluster.get("a");
        assertTrue(a.log.firstIndex() > 1, "a compacted its log");

        final List<Long> offsets = new ArrayList<>();
        final boolean[] droppedOnce = {false};
        cluster.drop = m -> {
            if (m instanceof InstallSnapshot s) {
                offsets.add(s.offset());
            }
            if (m instanceof SnapshotResponse r && r.nextOffset() == 500 && !droppedOnce[0]) {
                droppedOnce[0] = true;
                return true;
            }
            return false;
        };
        for (int i = 0; i < 2 * ELECTION + 2; i++) { // the first chunk went out while c was cut off: it is lost
            cluster.heartbeat("a");
        }
        assertEquals(
                List.of(0L, 250L, 250L, 500L),
                offsets.subList(0, 4),
                "600 bytes in chunks of 250; after a lost acknowledgement the leader resends from the last acknowledged "
                        + "offset (after an election timeout), and the follower's answer moves it on to what it already "
                        + "stored");
        final TestMember c = cluster.get("c");
        assertTrue(c.commands.stream().anyMatch(cmd -> cmd.type() == LogCommand.Type.INSTALL_SNAPSHOT));
        assertFalse(
                c.commands.stream()
                        .filter(cmd -> cmd.type() == LogCommand.Type.INSTALL_SNAPSHOT)
                        .findFirst()
                        .orElseThrow()
                        .keepsLog(),
                "c's empty log does not hold the snapshot's last entry: it is discarded");
        assertEquals(a.core.commitIndex(), c.core.commitIndex());
        assertEquals(a.core.lastIndex(), c.core.lastIndex());
    }

    @Test
    @DisplayName("7: a chunk the follower's storage refuses (malformed, or a transfer that does not verify) is"
            + " answered with offset 0, installs nothing, is counted, and the leader restarts the transfer from 0")
    void refusedSnapshotChunkRestartsTheTransfer_7() {
        record Case(long refusedAt, List<Long> offsetsSent) {}
        final List<Case> cases = List.of(
                // the first chunk refused: the leader already waits at 0, so it resends after an election timeout
                new Case(0, List.of(0L, 0L, 250L, 500L)),
                new Case(250, List.of(0L, 250L, 0L, 250L, 500L)),
                // the last chunk: storage found the whole transfer corrupt
                new Case(500, List.of(0L, 250L, 500L, 0L, 250L, 500L)));
        for (Case row : cases) {
            final TestCluster cluster = snapshottingCluster();
            cluster.drop = m -> m.to().equals("c") || m.from().equals("c");
            cluster.elect("a");
            cluster.propose("a", 8);
            cluster.heartbeat("a");
            final TestMember c = cluster.get("c");
            final long commitBefore = c.core.commitIndex();
            final boolean[] refused = {false};
            c.refuseChunk = chunk -> {
                if (!refused[0] && chunk.offset() == row.refusedAt()) {
                    refused[0] = true;
                    return true;
                }
                return false;
            };
            final List<Long> offsets = new ArrayList<>();
            final List<SnapshotResponse> answers = new ArrayList<>();
            cluster.drop = m -> {
                if (m instanceof InstallSnapshot s) {
                    offsets.add(s.offset());
                }
                if (m instanceof SnapshotResponse r && answers.isEmpty() && refused[0]) {
                    answers.add(r);
                }
                return false;
            };
            for (int i = 0;
                    i < 3 * ELECTION
                            && c.core.commitIndex() < cluster.get("a").core.commitIndex();
                    i++) {
                cluster.heartbeat("a");
            }
            assertEquals(
                    new SnapshotResponse(
                            "c",
                            "a",
                            cluster.get("a").core.term(),
                            answers.get(0).lastIndex(),
                            0,
                            false),
                    answers.get(0),
                    "refused at " + row.refusedAt() + ": the answer restarts at 0");
            assertEquals(row.offsetsSent(), offsets, "refused at " + row.refusedAt() + ": the chunks the leader sent");
            assertEquals(1, c.core.refusedSnapshotChunks(), "refused at " + row.refusedAt());
            assertEquals(
                    1,
                    c.commands.stream()
                            .filter(cmd -> cmd.type() == LogCommand.Type.INSTALL_SNAPSHOT)
                            .count(),
                    "refused at " + row.refusedAt() + ": only the verified transfer is installed");
            assertTrue(c.core.commitIndex() > commitBefore);
            assertEquals(cluster.get("a").core.commitIndex(), c.core.commitIndex(), "c caught up");
            assertEquals(cluster.get("a").core.lastIndex(), c.core.lastIndex());
        }
    }

    @Test
    @DisplayName("7: a leader has one snapshot chunk in flight per follower, and resends it only after an election"
            + " timeout without an answer")
    void snapshotChunksAreFlowControlled_7() {
        final TestCluster cluster = snapshottingCluster();
        cluster.drop = m -> m.to().equals("c") || m.from().equals("c");
        cluster.elect("a");
        cluster.propose("a", 8);
        cluster.heartbeat("a");
        final List<Long> offsets = new ArrayList<>();
        cluster.drop = m -> {
            if (m instanceof InstallSnapshot s) {
                offsets.add(s.offset());
            }
            return m instanceof SnapshotResponse; // a follower that never answers
        };
        for (int i = 0; i < 3 * ELECTION; i++) {
            cluster.heartbeat("a");
        }
        assertEquals(
                List.of(0L, 0L, 0L),
                offsets,
                "the unanswered first chunk, once per election timeout, not at" + " every heartbeat");

        cluster.drop = m -> false;
        for (int i = 0; i <= ELECTION; i++) {
            cluster.heartbeat("a");
        }
        assertEquals(cluster.get("a").core.commitIndex(), cluster.get("c").core.commitIndex(), "c caught up");
    }

    @Test
    @DisplayName("7: a leader restarted on a log that keeps entries behind its snapshot offers a follower behind that"
            + " log the stored snapshot, not the log's base")
    void restartedLeaderOffersItsStoredSnapshot_7() {
        final var initial = new InitialState(2, null, 4, 1, 6, 1, 600, ABC, List.of(), false);
        final TestMember a = new TestMember(TestMember.config("a"), ABC, initial, 1, 1, 1, 1, 1, 1, 1, 1);
        assertEquals(5, a.log.firstIndex());
        assertEquals(6, a.core.commitIndex(), "what the snapshot covers is committed");
        a.winElectionWith("b");
        final List<InstallSnapshot> offered = TestMember.only(
                InstallSnapshot.class, a.step(new AppendResponse("c", "a", a.core.term(), false, 8, 0, 1, false)));
        assertEquals(1, offered.size(), "c holds nothing a's log still has");
        assertEquals(6, offered.get(0).lastIndex());
        assertEquals(1, offered.get(0).lastTerm());
    }
}
