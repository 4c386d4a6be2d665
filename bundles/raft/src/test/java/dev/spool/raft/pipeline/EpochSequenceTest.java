package dev.spool.raft.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EpochSequenceTest {

    @Test
    @DisplayName("within an epoch a value moves forward; a lower value (a reordered ack) is dropped and counted")
    void forwardWithinEpoch() {
        final var matched = new EpochSequence("matched", 3, 0);
        assertTrue(matched.advance(3, 10));
        assertTrue(matched.advance(3, 10));
        assertFalse(matched.advance(3, 7));
        assertEquals(10, matched.get());
        assertEquals(1, matched.staleUpdates().get());
    }

    @Test
    @DisplayName("a new epoch may move the value back; updates computed in the old epoch are then dropped")
    void staleEpochRejected() {
        final var matched = new EpochSequence("matched", 3, 0);
        matched.advance(3, 50);
        matched.beginEpoch(4, 0);
        assertEquals(0, matched.get());
        assertEquals(4, matched.epoch());
        assertFalse(matched.advance(3, 60), "ack of the old term");
        assertEquals(0, matched.get());
        assertTrue(matched.advance(4, 20), "ack of the new term");
        assertEquals(20, matched.get());
        assertEquals(1, matched.staleUpdates().get());
    }

    @Test
    @DisplayName("a value is read only in the epoch the reader trusts")
    void readInEpoch() {
        final var flushed = new EpochSequence("flushed", 1, 30);
        assertEquals(30, flushed.getInEpoch(1, -1));
        assertEquals(-1, flushed.getInEpoch(2, -1));
        flushed.beginEpoch(2, 25);
        assertEquals(-1, flushed.getInEpoch(1, -1));
        assertEquals(25, flushed.getInEpoch(2, -1));
    }

    @Test
    @DisplayName("epochs only move forward, and an update may not come from an epoch not yet begun")
    void epochMisuse() {
        final var accepted = new EpochSequence("accepted", 2, 0);
        assertEquals(
                "accepted cannot begin epoch 2 in epoch 2",
                assertThrows(IllegalArgumentException.class, () -> accepted.beginEpoch(2, 0))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> accepted.beginEpoch(1, 0));
        assertEquals(
                "accepted got a value for epoch 3 while in epoch 2",
                assertThrows(IllegalArgumentException.class, () -> accepted.advance(3, 1))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> new EpochSequence("x", -1, 0));
        assertThrows(IllegalArgumentException.class, () -> accepted.beginEpoch(EpochSequence.MAX_EPOCH + 1, 0));
    }

    @Test
    @Timeout(30) // a hang guard, not a timing assertion
    @DisplayName("a concurrent reader never sees a value paired with the wrong epoch")
    void epochAndValueReadAsOnePair() throws Exception {
        final int epochs = 200_000;
        final var sequence = new EpochSequence("matched", 0, 0);
        final var failure = new AtomicReference<String>();
        final var reader = Daemons.start(() -> {
            long epoch = 0;
            while (epoch < epochs && failure.get() == null) {
                epoch = sequence.epoch();
                final long value = sequence.getInEpoch(epoch, -1);
                // values of epoch e are e * 1000 + k: a torn pair shows another epoch's thousands
                if (value != -1 && value / 1000 != epoch) {
                    failure.set("epoch " + epoch + " paired with value " + value);
                }
            }
        });
        for (long e = 1; e <= epochs; e++) {
            sequence.beginEpoch(e, e * 1000);
            sequence.advance(e, e * 1000 + 1 + (e & 7));
        }
        reader.join();
        assertEquals(null, failure.get());
    }
}
