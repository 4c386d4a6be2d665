package dev.spool.itests.cluster.member;

import java.util.Arrays;

/**
 * Latencies in nanoseconds counted in fixed log-linear buckets: every power of two is split into 16 buckets, so a
 * reported percentile is at most 1/16 above the true value. Recording is an array increment: no allocation.
 *
 * <p>Not thread-safe: one thread records at a time; a reader must see the recorder's writes through a
 * happens-before edge (the load generator hands its slots back through volatile fields).
 */
public final class LatencyHistogram {

    private static final int SUB_BUCKET_BITS = 4;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    /** Values of 2^40 ns (18 minutes) and above share the last bucket. */
    private static final int MAX_EXPONENT = 40;

    private final long[] counts = new long[(MAX_EXPONENT - SUB_BUCKET_BITS + 2) * SUB_BUCKETS];
    private long total;

    /**
     * Counts one latency.
     *
     * @param nanos the latency, not negative
     */
    public void record(long nanos) {
        counts[bucket(Math.max(0, nanos))]++;
        total++;
    }

    /** @return how many latencies were recorded */
    public long total() {
        return total;
    }

    /**
     * Returns the latency below which a fraction of the recorded ones lie, as the upper bound of its bucket.
     *
     * @param fraction between 0 and 1, such as 0.99
     * @return the latency in nanoseconds, 0 if nothing was recorded
     */
    public long percentile(double fraction) {
        final long rank = (long) Math.ceil(fraction * total);
        long seen = 0;
        for (int bucket = 0; bucket < counts.length; bucket++) {
            seen += counts[bucket];
            if (seen >= rank && seen > 0) {
                return upperBound(bucket);
            }
        }
        return 0;
    }

    /** Forgets every recorded latency. */
    public void clear() {
        Arrays.fill(counts, 0);
        total = 0;
    }

    static int bucket(long nanos) {
        if (nanos < SUB_BUCKETS) {
            return (int) nanos;
        }
        final int exponent = Math.min(MAX_EXPONENT, 63 - Long.numberOfLeadingZeros(nanos));
        final int sub = exponent == MAX_EXPONENT && nanos >= 1L << (MAX_EXPONENT + 1)
                ? SUB_BUCKETS - 1
                : (int) (nanos >>> (exponent - SUB_BUCKET_BITS)) & (SUB_BUCKETS - 1);
        return (exponent - SUB_BUCKET_BITS + 1) * SUB_BUCKETS + sub;
    }

    static long upperBound(int bucket) {
        if (bucket < SUB_BUCKETS) {
            return bucket;
        }
        final int exponent = bucket / SUB_BUCKETS + SUB_BUCKET_BITS - 1;
        final long sub = bucket % SUB_BUCKETS;
        return ((SUB_BUCKETS + sub + 1) << (exponent - SUB_BUCKET_BITS)) - 1;
    }
}
