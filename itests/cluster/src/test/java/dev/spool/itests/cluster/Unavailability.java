package dev.spool.itests.cluster;

/**
 * The longest time the cluster acknowledged nothing to any client: the longest gap between two successful
 * acknowledgements, counting from when the clients started to the first and from the last to when they stopped.
 * Thread-safe.
 */
final class Unavailability {

    private final long startedNanos;
    private long lastNanos;
    private long longestNanos;
    /** Where the longest gap began, in nanoseconds after the start. */
    private long longestFromNanos;

    /** Starts measuring now. */
    Unavailability() {
        startedNanos = System.nanoTime();
        lastNanos = startedNanos;
    }

    /** A client heard a successful acknowledgement now. */
    synchronized void acknowledged() {
        gapUntil(System.nanoTime());
    }

    /** The clients stopped now: the time since the last acknowledgement counts as a gap too. */
    synchronized void stopped() {
        gapUntil(System.nanoTime());
    }

    private void gapUntil(long now) {
        if (now - lastNanos > longestNanos) {
            longestNanos = now - lastNanos;
            longestFromNanos = lastNanos - startedNanos;
        }
        lastNanos = now;
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
