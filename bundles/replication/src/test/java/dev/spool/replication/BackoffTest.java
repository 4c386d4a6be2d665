package dev.spool.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    @DisplayName("the wait doubles from the initial one, stops at the cap, and never overflows")
    void doublesUpToTheCap() {
        final Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1));
        assertEquals(Duration.ofMillis(50).toNanos(), backoff.delayNanos(0));
        assertEquals(Duration.ofMillis(100).toNanos(), backoff.delayNanos(1));
        assertEquals(Duration.ofMillis(800).toNanos(), backoff.delayNanos(4));
        assertEquals(Duration.ofSeconds(1).toNanos(), backoff.delayNanos(5));
        assertEquals(Duration.ofSeconds(1).toNanos(), backoff.delayNanos(63));
        assertEquals(Duration.ofSeconds(1).toNanos(), backoff.delayNanos(Integer.MAX_VALUE));
    }
}
