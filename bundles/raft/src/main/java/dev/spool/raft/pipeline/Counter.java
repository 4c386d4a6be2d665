package dev.spool.raft.pipeline;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A named event count that any thread may read at any time without a lock (Agrona's counters, on the heap). The
 * pipeline counts only rare events with it — rejections, stale acknowledgements, parks, wake-ups — so increments
 * are atomic and may come from any thread; nothing on a per-entry path increments a counter.
 */
public final class Counter {

    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(Counter.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;

    @SuppressWarnings("unused") // accessed through VALUE
    private long value;

    /**
     * Creates a counter at zero.
     *
     * @param name what it counts, for reports
     */
    public Counter(String name) {
        this.name = name;
    }

    /** Counts one event. Any thread. */
    public void increment() {
        VALUE.getAndAdd(this, 1L);
    }

    /**
     * Returns the count. Any thread.
     *
     * @return the number of events counted so far
     */
    public long get() {
        return (long) VALUE.getVolatile(this);
    }

    /**
     * Returns what the counter counts.
     *
     * @return the name given at construction
     */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name + '=' + get();
    }
}
