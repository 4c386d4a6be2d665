package dev.spool.itests.cluster.harness;

/**
 * What a {@link FaultProxy} does to the bytes of one direction of its connections.
 *
 * @param drop whether the bytes are discarded (a blackhole); a connection that lost bytes this way is reset when
 *     the direction passes again, since TCP never delivers a stream with a hole in it
 * @param delayMillis how long each byte is held before it is passed on (0: at once); ignored while dropping
 * @param jitterMillis up to how much longer each chunk read is held, drawn per chunk: timing varies while the
 *     order within the stream stays, as on a real network under TCP (0: none)
 * @param bytesPerSecond the most bytes passed on per second and connection (0: no cap); a low cap is a slow-drip
 *     connection, which passes a byte or a few at a time and is never silent long enough to look dead
 */
public record LinkFault(boolean drop, long delayMillis, long jitterMillis, long bytesPerSecond) {

    /** Bytes pass at once. */
    public static final LinkFault PASS = new LinkFault(false, 0, 0, 0);
    /** Bytes are discarded. */
    public static final LinkFault DROP = new LinkFault(true, 0, 0, 0);

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if the delay, the jitter or the cap is negative
     */
    public LinkFault {
        if (delayMillis < 0 || jitterMillis < 0 || bytesPerSecond < 0) {
            throw new IllegalArgumentException("a link's delay, jitter and bandwidth must not be negative: "
                    + delayMillis + " ms, " + jitterMillis + " ms, " + bytesPerSecond + " B/s");
        }
    }

    /**
     * Returns a fault that holds every byte for a while.
     *
     * @param millis how long
     * @return the fault
     */
    public static LinkFault delay(long millis) {
        return new LinkFault(false, millis, 0, 0);
    }

    /**
     * Returns a fault that holds each chunk of bytes for a time drawn between {@code minMillis} and
     * {@code minMillis + jitterMillis}; bytes never overtake each other.
     *
     * @param minMillis the least delay
     * @param jitterMillis how much longer a chunk may be held
     * @return the fault
     */
    public static LinkFault jitter(long minMillis, long jitterMillis) {
        return new LinkFault(false, minMillis, jitterMillis, 0);
    }

    /**
     * Returns a fault that caps the bandwidth of each connection.
     *
     * @param bytesPerSecond the cap, at least 1; a few hundred is a slow drip
     * @return the fault
     */
    public static LinkFault cap(long bytesPerSecond) {
        if (bytesPerSecond < 1) {
            throw new IllegalArgumentException("a bandwidth cap must be at least 1 B/s: " + bytesPerSecond);
        }
        return new LinkFault(false, 0, 0, bytesPerSecond);
    }

    @Override
    public String toString() {
        if (drop) {
            return "drop";
        }
        final String delay = delayMillis == 0 && jitterMillis == 0
                ? ""
                : "delay " + delayMillis + (jitterMillis == 0 ? "" : "-" + (delayMillis + jitterMillis)) + " ms";
        final String cap = bytesPerSecond == 0 ? "" : "cap " + bytesPerSecond + " B/s";
        return delay.isEmpty() && cap.isEmpty()
                ? "pass"
                : (delay + (delay.isEmpty() || cap.isEmpty() ? "" : ", ") + cap);
    }
}
