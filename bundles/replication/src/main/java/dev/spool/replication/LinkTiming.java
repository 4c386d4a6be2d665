package dev.spool.replication;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link NettyReplicationStreamer} times its connections.
 *
 * @param connectTimeout how long one connection attempt (TCP and, with TLS, its handshake) may take, and how long
 *     a connection, dialed or accepted, may take to complete its handshake (TLS included) once connected
 * @param initialBackoff the wait before the first reconnection attempt
 * @param maxBackoff the longest wait between attempts (the wait doubles from the initial one up to this)
 * @param keepAliveInterval how long a connection may send nothing before a keep-alive goes out, so an idle but
 *     healthy connection is not taken for a dead one
 * @param idleTimeout how long a connection may receive nothing before it is taken for dead and closed; longer
 *     than the keep-alive interval. After a pause of the member's own event loop (a stopped process) the timeout is
 *     judged one keep-alive interval later, once what the peer sent meanwhile was read
 */
public record LinkTiming(
        Duration connectTimeout,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration keepAliveInterval,
        Duration idleTimeout) {

    /** Connect within 5 s, reconnect after 50 ms doubling up to 5 s, keep alive every second, dead after 10 s. */
    public static final LinkTiming DEFAULT = new LinkTiming(
            Duration.ofSeconds(5),
            Duration.ofMillis(50),
            Duration.ofSeconds(5),
            Duration.ofSeconds(1),
            Duration.ofSeconds(10));

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming the value that is out of range
     */
    public LinkTiming {
        requirePositive("connect timeout", connectTimeout);
        requirePositive("initial backoff", initialBackoff);
        requirePositive("keep-alive interval", keepAliveInterval);
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "maximum backoff " + maxBackoff + " is below the initial backoff " + initialBackoff);
        }
        if (idleTimeout.compareTo(keepAliveInterval) <= 0) {
            throw new IllegalArgumentException(
                    "idle timeout " + idleTimeout + " must exceed the keep-alive interval " + keepAliveInterval);
        }
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    /**
     * Returns this timing with other reconnection waits.
     *
     * @param initial the wait before the first attempt
     * @param max the longest wait
     * @return the timing
     */
    public LinkTiming withBackoff(Duration initial, Duration max) {
        return new LinkTiming(connectTimeout, initial, max, keepAliveInterval, idleTimeout);
    }
}
