package dev.spool.itests.cluster.harness;

/**
 * What a {@link FaultProxy} does to the bytes of one direction of its connections.
 *
 * @param drop whether the bytes are discarded (a blackhole); a connection that lost bytes this way is reset when
 *     the direction passes again, since TCP never delivers a stream with a hole in it
 * @param delayMillis how long each byte is held before it is passed on (0: at once); ignored while dropping
 */
public record LinkFault(boolean drop, long delayMillis) {

    /** Bytes pass at once. */
    public static final LinkFault PASS = new LinkFault(false, 0);
    /** Bytes are discarded. */
    public static final LinkFault DROP = new LinkFault(true, 0);

    /**
     * Checks the delay.
     *
     * @throws IllegalArgumentException if the delay is negative
     */
    public LinkFault {
        if (delayMillis < 0) {
            throw new IllegalArgumentException("a link's delay must not be negative: " + delayMillis + " ms");
        }
    }

    /**
     * Returns a fault that holds every byte for a while.
     *
     * @param millis how long
     * @return the fault
     */
    public static LinkFault delay(long millis) {
        return new LinkFault(false, millis);
    }

    @Override
    public String toString() {
        return drop ? "drop" : delayMillis == 0 ? "pass" : "delay " + delayMillis + " ms";
    }
}
