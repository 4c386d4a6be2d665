package dev.spool.itests.cluster.member;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How long the control endpoint lets one proposal or read take: the group is given {@code timeout} (its deadline,
 * by which it promises an outcome), and the endpoint waits {@code grace} more before it reports the request as one
 * that got no outcome. The grace covers a member that was paused (SIGSTOP) or starved of CPU: the group's clock ran
 * on meanwhile, and it needs a moment after resuming to fail what expired.
 *
 * @param timeout the timeout passed to the group with each proposal and read barrier
 * @param grace how much longer the endpoint waits for the outcome before giving up on it
 */
public record RequestDeadline(Duration timeout, Duration grace) {

    /** The members' deadline: 10 s for the group, 10 s of grace. */
    public static final RequestDeadline DEFAULT = new RequestDeadline(Duration.ofSeconds(10), Duration.ofSeconds(10));

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if one is not positive
     */
    public RequestDeadline {
        if (timeout.isNegative() || timeout.isZero() || grace.isNegative() || grace.isZero()) {
            throw new IllegalArgumentException(
                    "a request deadline needs a positive timeout and grace: " + timeout + ", " + grace);
        }
    }

    /** @return the timeout in milliseconds, as passed to the group */
    long timeoutMillis() {
        return timeout.toMillis();
    }

    /** @return how long after a request was made the endpoint gives up waiting for its outcome, in nanoseconds */
    long outcomeNanos() {
        return timeout.toNanos() + grace.toNanos();
    }

    /** @return {@link #outcomeNanos()} in words, for messages */
    String describe() {
        return TimeUnit.NANOSECONDS.toMillis(outcomeNanos()) + " ms";
    }
}
