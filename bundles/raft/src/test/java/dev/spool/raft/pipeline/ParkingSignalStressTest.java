package dev.spool.raft.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lost wake-ups. Followers here park without a timeout, so a single lost signal leaves one parked forever and the
 * test never ends: the JUnit timeout is only what turns that hang into a failure (the test thread only joins daemon
 * workers, so the timeout's interrupt ends it). Bounded by iteration counts.
 */
@Timeout(120)
class ParkingSignalStressTest {

    private static final int TIER = "long".equals(System.getProperty("spool.test.tier")) ? 10 : 1;

    @Test
    @DisplayName("a follower parked until signalled sees every move of a pointer published in bursts")
    void followerSeesEveryMove() throws Exception {
        final long moves = 2_000_000L * TIER;
        final var pointer = new Sequence("pointer", 0);
        final var signal = new ParkingSignal("follower");
        final var follower = Daemons.start(() -> follow(pointer, signal, moves));
        final var producer = Daemons.start(() -> {
            final var random = new SplittableRandom(1);
            for (long i = 1; i <= moves; i++) {
                pointer.set(i);
                signal.signal();
                if (random.nextInt(64) == 0) {
                    // a pause lets the follower catch up and park, which is where a signal could be lost
                    for (int spin = random.nextInt(2000); spin > 0; spin--) {
                        Thread.onSpinWait();
                    }
                }
            }
        });
        producer.join();
        follower.join();
        assertTrue(signal.parks().get() > 0, "the follower parked at least once, so waking was exercised");
    }

    private static void follow(Sequence pointer, ParkingSignal signal, long last) {
        long seen = 0;
        while (seen < last) {
            signal.beginCycle();
            final long value = pointer.get();
            if (value > seen) {
                seen = value;
            } else {
                signal.parkUnlessSignalled(Long.MAX_VALUE);
            }
        }
    }

    @Test
    @DisplayName("two threads that each park until the other's pointer moves complete every round trip")
    void pingPong() throws Exception {
        final long rounds = 20_000L * TIER;
        final var ping = new Sequence("ping", 0);
        final var pong = new Sequence("pong", 0);
        final var pingSignal = new ParkingSignal("ponger");
        final var pongSignal = new ParkingSignal("pinger");
        final var ponger = Daemons.start(() -> {
            for (long i = 1; i <= rounds; i++) {
                awaitValue(ping, pingSignal, i);
                pong.set(i);
                pongSignal.signal();
            }
        });
        final var pinger = Daemons.start(() -> {
            for (long i = 1; i <= rounds; i++) {
                ping.set(i);
                pingSignal.signal();
                awaitValue(pong, pongSignal, i);
            }
        });
        pinger.join();
        ponger.join();
        assertEquals(rounds, pong.get());
        assertFalse(ponger.isAlive());
    }

    private static void awaitValue(Sequence pointer, ParkingSignal signal, long value) {
        while (true) {
            signal.beginCycle();
            if (pointer.get() >= value) {
                return;
            }
            signal.parkUnlessSignalled(Long.MAX_VALUE);
        }
    }

    @Test
    @DisplayName("signalling a follower that is running costs no unpark; signalling a parked one unparks it once")
    void unparkOnlyWhenParked() throws Exception {
        final var signal = new ParkingSignal("follower");
        signal.beginCycle();
        signal.signal();
        signal.signal();
        assertFalse(signal.parkUnlessSignalled(Long.MAX_VALUE), "a signal since the cycle began prevents parking");
        assertEquals(0, signal.wakeups().get());
        assertEquals(0, signal.parks().get());

        final var follower = Daemons.start(() -> {
            signal.beginCycle();
            signal.parkUnlessSignalled(Long.MAX_VALUE);
        });
        while (follower.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        signal.signal();
        signal.signal();
        follower.join();
        assertEquals(1, signal.parks().get());
        assertEquals(1, signal.wakeups().get());
    }
}
