package dev.spool.raft.pipeline;

/** A {@link NanoClock} that moves only when a test moves it; safe to read from any thread. */
final class ManualClock implements NanoClock {

    private volatile long now;

    @Override
    public long nanoTime() {
        return now;
    }

    void advance(long nanos) {
        now += nanos;
    }
}
