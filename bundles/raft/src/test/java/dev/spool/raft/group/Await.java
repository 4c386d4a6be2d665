package dev.spool.raft.group;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a generous limit, failing with a description instead of hanging. */
final class Await {

    private static final long LIMIT_NANOS = 30_000_000_000L;

    private Await() {}

    static void until(String what, BooleanSupplier condition, Supplier<String> state) {
        final long deadline = System.nanoTime() + LIMIT_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting until " + what + "; " + state.get());
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
