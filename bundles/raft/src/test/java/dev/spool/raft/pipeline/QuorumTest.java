package dev.spool.raft.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class QuorumTest {

    private static final long TERM = 7;

    private final Quorum quorum = new Quorum(8);
    private final VoterSet voters = new VoterSet(7);
    private final EpochSequence[] matched = new EpochSequence[7];

    QuorumTest() {
        for (int i = 0; i < matched.length; i++) {
            matched[i] = new EpochSequence("matched[" + i + "]", TERM, 0);
        }
    }

    private void match(int slot, long index) {
        matched[slot].advance(TERM, index);
    }

    @Test
    @DisplayName("a single voter agrees with itself: its flushed position")
    void singleVoter() {
        voters.addLocal(true);
        assertEquals(12, quorum.agreedIndex(voters, 12, matched, TERM));
    }

    @Test
    @DisplayName("three voters agree on the second largest position")
    void threeVoters() {
        voters.addLocal(true);
        voters.addPeer(0, true);
        voters.addPeer(1, true);
        match(0, 7);
        match(1, 4);
        assertEquals(7, quorum.agreedIndex(voters, 10, matched, TERM));
        match(1, 9);
        assertEquals(9, quorum.agreedIndex(voters, 10, matched, TERM));
        assertEquals(7, quorum.agreedIndex(voters, 3, matched, TERM), "a lagging leader flush: the peers decide");
    }

    @Test
    @DisplayName("five voters agree on the third largest position; four need three of them")
    void fiveAndFourVoters() {
        voters.addLocal(true);
        for (int slot = 0; slot < 4; slot++) {
            voters.addPeer(slot, true);
        }
        match(0, 9);
        match(1, 3);
        match(2, 8);
        match(3, 1);
        assertEquals(8, quorum.agreedIndex(voters, 10, matched, TERM));
        voters.clear();
        voters.addLocal(true);
        voters.addPeer(0, true);
        voters.addPeer(1, true);
        voters.addPeer(2, true);
        assertEquals(8, quorum.agreedIndex(voters, 10, matched, TERM)); // 10, 9, 8 | 3
    }

    @Test
    @DisplayName("a suspect voter raises the majority but its position does not count")
    void suspectVoterDoesNotCount() {
        voters.addLocal(true);
        voters.addPeer(0, false);
        voters.addPeer(1, true);
        match(0, 9);
        match(1, 4);
        assertEquals(4, quorum.agreedIndex(voters, 10, matched, TERM));
        voters.clear();
        voters.addLocal(false);
        voters.addPeer(0, true);
        voters.addPeer(1, true);
        assertEquals(4, quorum.agreedIndex(voters, 10, matched, TERM), "a suspect leader's flush does not count");
    }

    @Test
    @DisplayName("a peer's position from another term counts as nothing; members outside the voter set are ignored")
    void otherEpochAndNonVoters() {
        voters.addLocal(true);
        voters.addPeer(0, true);
        voters.addPeer(1, true);
        match(0, 8);
        matched[1].beginEpoch(TERM + 1, 9);
        match(2, 100); // a learner's slot, not a voter
        assertEquals(8, quorum.agreedIndex(voters, 10, matched, TERM));
        assertEquals(9, quorum.agreedIndex(voters, 10, matched, TERM + 1)); // 10, 9 | 0
    }

    @Test
    @DisplayName("a voter set refuses duplicates and overflow; a quorum refuses an empty or oversized set")
    void misuse() {
        assertThrows(IllegalArgumentException.class, () -> quorum.agreedIndex(voters, 1, matched, TERM));
        voters.addPeer(0, true);
        assertEquals("peer slot 0 is already a voter",
            assertThrows(IllegalArgumentException.class, () -> voters.addPeer(0, true)).getMessage());
        final var small = new Quorum(1);
        voters.addLocal(true);
        assertThrows(IllegalArgumentException.class, () -> small.agreedIndex(voters, 1, matched, TERM));
        final var full = new VoterSet(1);
        full.addPeer(0, true);
        assertThrows(IllegalArgumentException.class, () -> full.addPeer(1, true));
    }
}
