package dev.spool.raft.pipeline;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/** The hot field of a {@link ParkingSignal}, placed after the left padding. */
abstract class ParkingSignalState extends CacheLinePadding {
    protected int state;
}

/**
 * A {@link WakeSignal} that parks one waiting thread at a time — the owner — and unparks it when signalled.
 *
 * <p>The owner runs cycles: {@link #beginCycle()}, then it looks at the pointers it follows; if they gave it
 * nothing to do, {@link #parkUnlessSignalled}. Signallers ({@link #signal()}, any thread) publish their pointer
 * first. The state moves between three values:
 * <ul>
 *   <li>{@code RUNNING}: the owner began a cycle and has not been signalled since;</li>
 *   <li>{@code SIGNALLED}: a signal arrived since the cycle began — the owner will not park this cycle;</li>
 *   <li>{@code PARKED}: the owner found nothing and parks (or is parked); the next signaller unparks it.</li>
 * </ul>
 * This is Dekker's handshake: the owner writes its state then reads the pointers, a signaller writes its pointer
 * then reads the state, so at least one of them sees the other. No signal is lost, and a signaller pays a fence and
 * a read — no atomic write, no system call — while the owner is busy and already signalled, which is the common
 * case under load. Only the signaller that finds the owner parked calls {@link LockSupport#unpark}.
 *
 * <p>Owner methods are called by one thread at a time; a signal may come from any thread.
 */
@SuppressWarnings("unused") // the padding fields exist only to occupy space
public final class ParkingSignal extends ParkingSignalState implements WakeSignal {

    private static final int RUNNING = 0;
    private static final int SIGNALLED = 1;
    private static final int PARKED = 2;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(ParkingSignalState.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    protected long p16, p17, p18, p19, p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30;

    /** Written by the owner before it announces {@code PARKED}; read by the signaller that sees {@code PARKED}. */
    private Thread owner;

    private final Counter parks;
    private final Counter wakeups;

    /**
     * Creates a signal in the running state.
     *
     * @param name what waits on it, for the counters' names
     */
    public ParkingSignal(String name) {
        this.parks = new Counter(name + ".parks");
        this.wakeups = new Counter(name + ".wakeups");
    }

    @Override
    public void signal() {
        // Dekker: the caller's pointer store must be ordered before the read of the owner's state.
        VarHandle.fullFence();
        if ((int) STATE.getVolatile(this) == SIGNALLED) {
            return; // the owner has not begun its next cycle yet; that cycle will see the pointer
        }
        if ((int) STATE.getAndSet(this, SIGNALLED) == PARKED) {
            wakeups.increment();
            LockSupport.unpark(owner);
        }
    }

    /**
     * Begins a cycle: signals received so far are consumed, because the owner is about to look at every pointer
     * it follows. Owner only; call it before reading those pointers.
     */
    public void beginCycle() {
        STATE.setVolatile(this, RUNNING);
    }

    /**
     * Parks the calling thread, unless a signal arrived since {@link #beginCycle()}, until a signal, an interrupt,
     * the timeout or a spurious wake-up. Owner only; the caller begins a new cycle and looks again in any case.
     *
     * @param maxNanos the longest park, or {@link Long#MAX_VALUE} to park until signalled
     * @return {@code false} if it did not park because a signal had arrived
     */
    public boolean parkUnlessSignalled(long maxNanos) {
        owner = Thread.currentThread();
        if (!STATE.compareAndSet(this, RUNNING, PARKED)) {
            return false;
        }
        parks.increment();
        if (maxNanos == Long.MAX_VALUE) {
            LockSupport.park(this);
        } else {
            LockSupport.parkNanos(this, maxNanos);
        }
        return true;
    }

    /**
     * Returns how often the owner parked.
     *
     * @return the counter; any thread may read it
     */
    public Counter parks() {
        return parks;
    }

    /**
     * Returns how often a signal unparked the owner.
     *
     * @return the counter; any thread may read it
     */
    public Counter wakeups() {
        return wakeups;
    }
}
