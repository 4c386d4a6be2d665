package dev.spool.raft.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spool.raft.core.EntryKind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SlotRingTest {

    private final Sequence applied = new Sequence("applied", 0);
    private final SlotRing<String, Runnable> ring = new SlotRing<>("g", 4, 0, applied);
    private final Runnable callback = () -> {};

    /** What the apply task does for one entry: clear its slot, then free it by moving applied. */
    private void apply(long index) {
        assertEquals(index, ring.slot(index).index(), "slot holds the entry being applied");
        ring.slot(index).clear();
        applied.set(index);
    }

    private long claimAndPublish(String payload) {
        final long index = ring.tryClaim();
        ring.slot(index).fillProposal(index, 1, payload, callback, 11, index, 1000 + payload.length());
        ring.publish(index);
        return index;
    }

    /** Claims and publishes entries 1 to 4: every slot of the ring holds an entry not yet applied. */
    private void fillRing() {
        for (int i = 1; i <= 4; i++) {
            claimAndPublish("e" + i);
        }
    }

    @Test
    @DisplayName("claims hand out consecutive indices; published slots carry what the producer filled")
    void claimFillPublish() {
        assertEquals(1, claimAndPublish("a"));
        assertEquals(2, claimAndPublish("bb"));
        assertEquals(2, ring.accepted().get());
        final EntrySlot<String, Runnable> slot = ring.slot(2);
        assertEquals(2, slot.index());
        assertEquals(1, slot.term());
        assertEquals(EntryKind.NORMAL, slot.kind());
        assertEquals("bb", slot.payload());
        assertSame(callback, slot.callback());
        assertEquals(11, slot.sessionId());
        assertEquals(2, slot.sequence());
        assertEquals(1002, slot.stamp());
        assertEquals(EntrySlot.Form.OBJECTS, slot.form());
    }

    @Test
    @DisplayName("a full ring refuses a claim with BUSY; applying an entry frees its slot")
    void busyUntilApplied() {
        fillRing();
        assertEquals(SlotRing.BUSY, ring.tryClaim());
        apply(1);
        assertNull(ring.slot(1).payload(), "applied slot drops its payload");
        assertEquals(5, claimAndPublish("e5"));
        assertSame(ring.slot(1), ring.slot(5));
        assertEquals(SlotRing.BUSY, ring.tryClaim());
    }

    @Test
    @DisplayName("the ring wraps around many times, each slot holding the entry of its index")
    void wrapAround() {
        for (long index = 1; index <= 100; index++) {
            assertEquals(index, claimAndPublish("e" + index));
            assertEquals("e" + index, ring.slot(index).payload());
            if (index >= 3) {
                apply(index - 2); // the apply task trails by two entries
            }
        }
        assertEquals(100, ring.accepted().get());
    }

    @Test
    @DisplayName("only claimed indices can be published, and never backwards")
    void publishMisuse() {
        ring.tryClaim();
        assertEquals(
                "g.accepted: cannot publish 2, claimed only up to 1",
                assertThrows(IllegalArgumentException.class, () -> ring.publish(2))
                        .getMessage());
        ring.tryClaim();
        ring.publish(2);
        assertThrows(IllegalArgumentException.class, () -> ring.publish(1));
    }

    @Test
    @DisplayName("a truncation starts a new epoch of accepted, back at the truncation point, never below applied")
    void truncation() {
        fillRing();
        apply(1);
        ring.truncateAfter(2);
        assertEquals(2, ring.accepted().get());
        assertEquals(1, ring.accepted().epoch());
        assertEquals(3, claimAndPublish("f3"));
        assertEquals("f3", ring.slot(3).payload());
        assertEquals(
                "g.accepted: cannot truncate after 0, outside applied 1 .. claimed 3",
                assertThrows(IllegalArgumentException.class, () -> ring.truncateAfter(0))
                        .getMessage());
    }

    @Test
    @DisplayName("the capacity must be a power of two, and the log cannot be behind applied")
    void construction() {
        assertEquals(
                "g: slot capacity must be a positive power of two, not 6",
                assertThrows(IllegalArgumentException.class, () -> new SlotRing<>("g", 6, 0, applied))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SlotRing<>("g", 0, 0, applied));
        assertThrows(IllegalArgumentException.class, () -> new SlotRing<>("g", 4, 3, new Sequence("applied", 4)));
        final var restarted = new SlotRing<String, Runnable>("g", 4, 1000, new Sequence("applied", 998));
        assertEquals(1001, restarted.tryClaim());
        assertEquals(1000, restarted.accepted().get());
    }
}
