package dev.spool.journal.internal;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import sun.misc.Unsafe;

/**
 * Unmaps a {@link MappedByteBuffer}, or frees a direct buffer, at once (Java 17 has no public way). Any later touch of the buffer, or of a
 * view of it, crashes the JVM: callers unmap only when the last reference is gone (see {@link Segment}).
 */
final class Unmapper {
    private static final Unsafe UNSAFE = loadUnsafe();

    private Unmapper() {}

    static void unmap(MappedByteBuffer buffer) {
        UNSAFE.invokeCleaner(buffer);
    }

    /** Frees a direct buffer's memory at once instead of waiting for the garbage collector. */
    static void free(ByteBuffer directBuffer) {
        UNSAFE.invokeCleaner(directBuffer);
    }

    private static Unsafe loadUnsafe() {
        try {
            Field field = Unsafe.class.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            return (Unsafe) field.get(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
