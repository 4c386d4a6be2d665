package dev.spool.raft.pipeline;

/**
 * A source of monotonic nanosecond time, for deadlines. Tests and the deterministic simulation substitute a clock
 * they move by hand.
 */
@FunctionalInterface
public interface NanoClock {

    /** The JVM's monotonic clock. */
    NanoClock SYSTEM = System::nanoTime;

    /**
     * Returns the current time; only differences between two values mean anything.
     *
     * @return nanoseconds since an arbitrary origin
     */
    long nanoTime();
}
