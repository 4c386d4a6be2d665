package dev.spool.raft.pipeline;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Reads the bytes the calling thread has allocated, from {@code com.sun.management.ThreadMXBean}. The module
 * {@code dev.spool.raft} does not read {@code java.management}, so the bean is reached through a public lookup,
 * which needs no readability; the measurement itself allocates nothing worth counting (one boxed result).
 */
final class AllocationMeter {

    private static final Object BEAN;
    private static final MethodHandle ALLOCATED_BYTES;

    static {
        try {
            final Class<?> beanType = Class.forName("com.sun.management.ThreadMXBean");
            BEAN = beanType.cast(MethodHandles.publicLookup()
                    .findStatic(
                            Class.forName("java.lang.management.ManagementFactory"),
                            "getThreadMXBean",
                            MethodType.methodType(Class.forName("java.lang.management.ThreadMXBean")))
                    .invoke());
            ALLOCATED_BYTES = MethodHandles.publicLookup()
                    .findVirtual(beanType, "getCurrentThreadAllocatedBytes", MethodType.methodType(long.class))
                    .asType(MethodType.methodType(long.class, Object.class));
        } catch (Throwable e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private AllocationMeter() {}

    /** @return the bytes the calling thread has allocated so far */
    static long allocatedBytes() {
        try {
            return (long) ALLOCATED_BYTES.invokeExact(BEAN);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot read the thread's allocated bytes", e);
        }
    }
}
