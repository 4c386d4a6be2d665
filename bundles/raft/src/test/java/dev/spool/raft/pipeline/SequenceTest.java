package dev.spool.raft.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SequenceTest {

    @Test
    @DisplayName("a sequence starts at its initial value, moves forward, accepts the same value, refuses to go back")
    void monotonic() {
        final var applied = new Sequence("applied", 5);
        assertEquals(5, applied.get());
        applied.set(5);
        applied.set(9);
        assertEquals(9, applied.get());
        final var e = assertThrows(IllegalArgumentException.class, () -> applied.set(8));
        assertEquals("applied cannot move backwards from 9 to 8", e.getMessage());
        assertEquals(9, applied.get());
    }

    @Test
    @DisplayName("sequences side by side are independent: writing one never changes its neighbours")
    void independentNeighbours() {
        final var sequences = new Sequence[8];
        for (int i = 0; i < sequences.length; i++) {
            sequences[i] = new Sequence("s" + i, i);
        }
        sequences[3].set(1000);
        for (int i = 0; i < sequences.length; i++) {
            assertEquals(i == 3 ? 1000 : i, sequences[i].get(), "sequence " + i);
        }
    }

    @Test
    @Timeout(30) // a hang guard, not a timing assertion
    @DisplayName("a reader that sees a published value also sees everything the writer wrote before publishing it")
    void publicationOrder() throws Exception {
        final int iterations = 1_000_000;
        final long[] data = new long[1024];
        final var published = new Sequence("published", 0);
        final var writer = Daemons.start(() -> {
            for (int i = 1; i <= iterations; i++) {
                data[i & 1023] = i;
                published.set(i);
            }
        });
        long seen = 0;
        while (seen < iterations) {
            final long value = published.get();
            if (value > seen) {
                // the slot of the published value holds it or a later value, never an earlier one
                assertTrue(data[(int) (value & 1023)] >= value, "slot of " + value + " is stale");
                seen = value;
            }
        }
        writer.join();
    }
}
