package dev.spool.raft.pipeline;

/**
 * Wakes whoever follows a pointer after its writer moved it. Writers call {@link #signal()} after publishing, once
 * per batch rather than once per entry. A signal is never lost: a follower that has already looked at the pointer
 * and found nothing either sees the signal before it parks, or is unparked.
 *
 * <p>The pipeline waits in one way, whatever waits: begin a cycle, look at the pointer, park unless signalled since
 * the cycle began. An agent's thread idles on a {@link ParkingSignal} (one owner, any of its agents' pointers);
 * client threads block on a {@link BlockingSignal} (many, each for one pointer and to its own deadline).
 */
@FunctionalInterface
public interface WakeSignal {

    /** Tells the follower that a pointer it follows has moved. Any thread; cheap while the follower is busy. */
    void signal();
}
