package dev.spool.raft.pipeline;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link WakeSignal} that any number of threads block on, each until the pointer it needs moves or its own deadline
 * passes: client threads waiting for a free place in a group's intake (the Disruptor's {@code BlockingWaitStrategy}).
 *
 * <p>It is the blocking counterpart of {@link ParkingSignal}, with the same cycle: {@link #beginWait()}, look at the
 * pointer, {@link #parkUnlessSignalled}, and look again. The two differ because what waits differs: an agent never
 * blocks — its thread idles once every agent on it found nothing to do, parks for any of their pointers and for at
 * most the runner's park time (agents are also driven by time), and has one owner; a client thread blocks for one
 * condition, up to a deadline of its own, and many may wait at once. Writers see no difference: they publish their
 * pointer and {@link #signal()}, whoever follows it.
 *
 * <p>Dekker's handshake again: a waiter registers ({@link #beginWait()}) before it looks at the pointer, a signaller
 * publishes its pointer before it looks for waiters, so either the waiter sees the pointer or the signaller sees the
 * waiter and wakes it. A signal costs a fence and a read while nobody waits, which is the common case; waiting is on
 * a monitor, so neither side allocates.
 */
public final class BlockingSignal implements WakeSignal {

    private static final VarHandle SIGNALS;

    static {
        try {
            SIGNALS = MethodHandles.lookup().findVarHandle(BlockingSignal.class, "signals", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object monitor = new Object();
    /** The threads between {@link #beginWait()} and {@link #endWait()}; a signal wakes only while there are some. */
    private final AtomicInteger waiters = new AtomicInteger();
    /** Signals that found waiters; written under the monitor. A waiter's cycle is the value it began with. */
    @SuppressWarnings("unused") // accessed through SIGNALS
    private long signals;

    @Override
    public void signal() {
        // Dekker: the caller's pointer store must be ordered before the read of the waiters.
        VarHandle.fullFence();
        if (waiters.get() > 0) {
            synchronized (monitor) {
                SIGNALS.setVolatile(this, (long) SIGNALS.get(this) + 1);
                monitor.notifyAll();
            }
        }
    }

    /**
     * Registers the calling thread as a waiter and begins its cycle: call it before looking at the pointer, and
     * {@link #endWait()} once done waiting, whatever happened.
     *
     * @return the cycle, for {@link #parkUnlessSignalled}
     */
    public long beginWait() {
        waiters.incrementAndGet(); // a full fence: registered before the caller reads the pointer
        return (long) SIGNALS.getVolatile(this);
    }

    /**
     * Blocks the calling thread, unless a signal came since its cycle began, until a signal, the timeout or a
     * spurious wake-up. The caller looks at the pointer again in any case.
     *
     * @param cycle what {@link #beginWait()} returned
     * @param maxNanos the longest wait, counted in whole milliseconds and at least one
     * @return {@code false} if it did not wait because a signal had come
     * @throws InterruptedException if the thread was interrupted
     */
    public boolean parkUnlessSignalled(long cycle, long maxNanos) throws InterruptedException {
        synchronized (monitor) {
            if ((long) SIGNALS.get(this) != cycle) {
                return false;
            }
            monitor.wait(Math.max(1, maxNanos / 1_000_000));
            return true;
        }
    }

    /** Ends the calling thread's wait, which {@link #beginWait()} began. */
    public void endWait() {
        waiters.decrementAndGet();
    }
}
