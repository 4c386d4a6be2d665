package dev.spool.itests.cluster;

/**
 * The longest time the cluster acknowledged nothing to any client: the longest gap between two successful
 * acknowledgements, counting from when the clients started to the first and from the last to when they were told to
 * stop. What is acknowledged after that does not count: a client ends only once its last requests have outcomes, and
 * the others have stopped meanwhile. Thread-safe.
 */
final class Unavailability {

    private final long startedNanos;
    private long lastNanos;
    private long longestNanos;
    /** Where the longest gap began, in nanoseconds after the start. */
    private long longestFromNanos;

    private boolean stopped;

    /** Starts measuring now. */
    Unavailability() {
        startedNanos = System.nanoTime();
        lastNanos = startedNanos;
    }

    /** A client heard a successful acknowledgement now. */
    synchronized void acknowledged() {
        if (!stopped) {
            gapUntil(System.nanoTime());
        }
    }

    /** The clients are told to stop now: the time since the last acknowledgement counts as a gap too. */
    synchronized void stopped() {
        gapUntil(System.nanoTime());
        stopped = true;
    }

    private void gapUntil(long now) {
        if (now - lastNanos > longestNanos) {
            longestNanos = now - lastNanos;
            longestFromNanos = lastNanos - startedNanos;
        }
        lastNanos = now;
    }

    /** @return the seconds since the clients started, to place faults beside the gaps */
    double secondsSinceStart() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** @return the longest gap in milliseconds */
    synchronized long longestMillis() {
        return longestNanos / 1_000_000;
    }

    @Override
    public synchronized String toString() {
        return String.format("%d ms (from %.1f s)", longestNanos / 1_000_000, longestFromNanos / 1e9);
    }
}
