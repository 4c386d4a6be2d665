package dev.spool.itests.cluster.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    @DisplayName("every value lies in a bucket whose upper bound is at most 1/16 above it")
    void bucketsBoundValuesClosely() {
        for (long value = 0; value < 1L << 41; value = value < 64 ? value + 1 : value + value / 7 + 1) {
            final int bucket = LatencyHistogram.bucket(value);
            final long upper = LatencyHistogram.upperBound(bucket);
            assertTrue(
                    upper >= value && upper - value <= value / 16, value + " -> bucket " + bucket + " up to " + upper);
            if (bucket > 0) {
                assertTrue(LatencyHistogram.upperBound(bucket - 1) < value, value + " belongs to an earlier bucket");
            }
        }
    }

    @Test
    @DisplayName("percentiles are the bucket bounds of the ranked values, and clear forgets them")
    void percentilesFollowRanks() {
        final LatencyHistogram histogram = new LatencyHistogram();
        for (long micros = 1; micros <= 1000; micros++) {
            histogram.record(micros * 1000);
        }
        assertEquals(1000, histogram.total());
        assertNear(500_000, histogram.percentile(0.5));
        assertNear(990_000, histogram.percentile(0.99));
        assertNear(999_000, histogram.percentile(0.999));
        histogram.clear();
        assertEquals(0, histogram.percentile(0.99));
    }

    private static void assertNear(long expected, long actual) {
        assertTrue(
                actual >= expected && actual <= expected + expected / 16,
                "expected about " + expected + ", got " + actual);
    }
}
