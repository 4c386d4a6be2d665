package dev.spool.api.health;

import java.util.Objects;

/**
 * The answer to "does this serve?": healthy, or not with the cause an operator can act on.
 *
 * @param healthy whether it serves
 * @param cause why it does not serve, one line naming what is wrong (for example {@code "group orders: journal
 *     service not bound: configuration dev.spool.journal: segmentSize=12 must be between 65536 and 1073741824
 *     bytes"}); empty when healthy
 */
public record Health(boolean healthy, String cause) {

    /** The answer of something that serves. */
    public static final Health HEALTHY = new Health(true, "");

    /**
     * Checks the answer is consistent.
     *
     * @throws IllegalArgumentException if an unhealthy answer names no cause, or a healthy one names one
     */
    public Health {
        Objects.requireNonNull(cause, "cause");
        if (healthy != cause.isEmpty()) {
            throw new IllegalArgumentException(
                    healthy ? "a healthy answer has no cause: " + cause : "an unhealthy answer names its cause");
        }
    }

    /**
     * Returns the answer of something that does not serve.
     *
     * @param cause why, one line
     * @return the answer
     */
    public static Health unhealthy(String cause) {
        return new Health(false, cause);
    }
}
