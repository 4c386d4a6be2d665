package dev.spool.raft.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lost wake-ups of blocked threads. Waiters here wait an hour per park, so a lost signal leaves one blocked and the
 * test never ends: the JUnit timeout is what turns that hang into a failure.
 */
@Timeout(120)
class BlockingSignalTest {

    private static final long HOUR_NANOS = 3_600_000_000_000L;

    @Test
    @DisplayName("a signal after a waiter began its cycle keeps it from blocking")
    void signalSinceTheCycleBeganPreventsWaiting() throws Exception {
        final var signal = new BlockingSignal();
        final long cycle = signal.beginWait();
        signal.signal();
        assertFalse(signal.parkUnlessSignalled(cycle, HOUR_NANOS));
        signal.endWait();
    }

    @Test
    @DisplayName("several threads blocked until a pointer reaches their value all see it, the pointer moved in bursts")
    void waitersSeeEveryMove() throws Exception {
        final long moves = 200_000;
        final var pointer = new Sequence("pointer", 0);
        final var signal = new BlockingSignal();
        final Thread[] waiters = new Thread[3];
        for (int w = 0; w < waiters.length; w++) {
            final int stride = w + 1;
            waiters[w] = Daemons.start(() -> {
                for (long value = stride; value <= moves; value += stride) {
                    awaitValue(pointer, signal, value);
                }
            });
        }
        final var random = new SplittableRandom(1);
        for (long i = 1; i <= moves; i++) {
            pointer.set(i);
            signal.signal();
            if (random.nextInt(64) == 0) {
                for (int spin = random.nextInt(2000); spin > 0; spin--) {
                    Thread.onSpinWait();
                }
            }
        }
        for (Thread waiter : waiters) {
            waiter.join();
        }
        assertEquals(moves, pointer.get());
    }

    private static void awaitValue(Sequence pointer, BlockingSignal signal, long value) {
        while (pointer.get() < value) {
            final long cycle = signal.beginWait();
            try {
                if (pointer.get() < value) {
                    signal.parkUnlessSignalled(cycle, HOUR_NANOS);
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                signal.endWait();
            }
        }
    }
}
