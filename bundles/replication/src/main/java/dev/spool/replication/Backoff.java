package dev.spool.replication;

import java.time.Duration;

/** Capped exponential backoff: the wait before reconnection attempt {@code n} is {@code min(max, initial · 2ⁿ)}. */
final class Backoff {

    private final long initialNanos;
    private final long maxNanos;

    Backoff(Duration initial, Duration max) {
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
    }

    /**
     * Returns the wait before an attempt.
     *
     * @param attempt how many attempts failed since the last success (0 for the first retry)
     * @return the wait in nanoseconds
     */
    long delayNanos(int attempt) {
        final int doublings = Math.min(attempt, Long.SIZE - 2);
        // Compared before shifting: past the cap the shift could overflow.
        return initialNanos > maxNanos >> doublings ? maxNanos : initialNanos << doublings;
    }
}
