package dev.spool.raft.group;

import dev.spool.api.group.ProposalCallback;
import dev.spool.raft.pipeline.BlockingSignal;
import dev.spool.raft.pipeline.NanoClock;
import dev.spool.raft.pipeline.Sequence;
import dev.spool.raft.pipeline.WakeSignal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded hand-over of client proposals to the group's core agent: a preallocated ring of request flyweights
 * that any number of client threads offer into and only the core agent drains (the Disruptor's multi-producer
 * claim: a shared counter hands out positions, each request is published by its own sequence word).
 *
 * <p>Nothing is queued without limit: a producer that finds every position taken blocks on a {@link BlockingSignal}
 * until the core agent drains one or the producer's deadline passes. The core agent drains only while the group's slot ring has
 * free slots, so a full slot ring pushes back through this ring to the clients; while it cannot drain it
 * {@link #expire}s the requests whose deadline passed, so none waits here beyond its deadline.
 *
 * <p>Threads: {@link #offer} from any thread; {@link #drainTo} and {@link #expire} from the core agent only.
 *
 * @param <T> the payload type
 */
final class Intake<T> {

    /** Receives one drained request; the core agent. */
    interface Consumer<T> {
        /**
         * Takes one proposal; the request's fields are valid only during the call.
         *
         * @param deadlineNanos the proposer's deadline, which bounds the wait for the leader's answer when the
         *     proposal is forwarded
         */
        void proposal(T payload, ProposalCallback callback, long sessionId, long sequence, long deadlineNanos);
    }

    /** One position of the ring. */
    private static final class Request<T> {
        /** The position this request was last published for, plus one; written last by its producer. */
        volatile long published;
        T payload;
        ProposalCallback callback;
        long sessionId;
        long sequence;
        long deadlineNanos;
        /** Set by the core agent once it failed the request in place, past its deadline: the drain skips it. */
        boolean expired;
    }

    private static final VarHandle PUBLISHED;

    static {
        try {
            PUBLISHED = MethodHandles.lookup().findVarHandle(Request.class, "published", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Request<T>[] requests;
    private final int mask;
    private final AtomicLong claimed = new AtomicLong();
    /** How many requests the core agent has drained; written by the core agent only. */
    private final Sequence drained;
    private final WakeSignal consumerSignal;
    /**
     * Producers waiting for space block here, not on the core agent's {@link dev.spool.raft.pipeline.ParkingSignal}:
     * they are many, each with its own deadline, and block their own thread, which an agent never does.
     */
    private final BlockingSignal space = new BlockingSignal();
    /** Producers inside {@link #offer}; {@link #close} waits for them to leave. */
    private final AtomicInteger producers = new AtomicInteger();
    private volatile boolean closed;

    /** Core agent only: the next position to drain. */
    private long head;

    @SuppressWarnings("unchecked") // a generic array is created raw
    Intake(String name, int capacity, WakeSignal consumerSignal) {
        if (capacity <= 0 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException(name + ": intake capacity must be a positive power of two, not "
                + capacity);
        }
        this.requests = new Request[capacity];
        for (int i = 0; i < capacity; i++) {
            requests[i] = new Request<>();
        }
        this.mask = capacity - 1;
        this.drained = new Sequence(name + ".drained", 0);
        this.consumerSignal = consumerSignal;
    }

    /** What {@link #offer} did. */
    enum Offer { ACCEPTED, FULL, CLOSED }

    /**
     * Offers a proposal, waiting up to the deadline for a free position.
     *
     * @return {@link Offer#ACCEPTED}: the core agent will take it (or {@link #close} hands it back);
     *     {@link Offer#FULL}: no position became free by the deadline; {@link Offer#CLOSED}: the group stopped
     */
    Offer offer(T payload, ProposalCallback callback, long sessionId, long sequence, long deadlineNanos,
                NanoClock clock) throws InterruptedException {
        producers.incrementAndGet();
        try {
            return offerWhileOpen(payload, callback, sessionId, sequence, deadlineNanos, clock);
        } finally {
            producers.decrementAndGet();
        }
    }

    private Offer offerWhileOpen(T payload, ProposalCallback callback, long sessionId, long sequence,
                                 long deadlineNanos, NanoClock clock) throws InterruptedException {
        final int capacity = requests.length;
        while (true) {
            if (closed) {
                return Offer.CLOSED;
            }
            final long position = claimed.get();
            if (position - drained.get() < capacity) {
                if (claimed.compareAndSet(position, position + 1)) {
                    final Request<T> request = requests[(int) (position & mask)];
                    request.payload = payload;
                    request.callback = callback;
                    request.sessionId = sessionId;
                    request.sequence = sequence;
                    request.deadlineNanos = deadlineNanos;
                    request.expired = false;
                    PUBLISHED.setRelease(request, position + 1);
                    consumerSignal.signal();
                    return Offer.ACCEPTED;
                }
                continue;
            }
            final long remaining = deadlineNanos - clock.nanoTime();
            if (remaining <= 0) {
                return Offer.FULL;
            }
            awaitSpace(position, remaining);
        }
    }

    private void awaitSpace(long position, long remainingNanos) throws InterruptedException {
        final long cycle = space.beginWait();
        try {
            if (!closed && position - drained.get() >= requests.length) {
                space.parkUnlessSignalled(cycle, remainingNanos);
            }
        } finally {
            space.endWait();
        }
    }

    /**
     * Hands up to {@code max} published requests to {@code consumer}, in order, and frees their positions.
     *
     * @return how many were drained
     */
    int drainTo(Consumer<T> consumer, int max) {
        int count = 0;
        while (count < max) {
            final Request<T> request = requests[(int) (head & mask)];
            if ((long) PUBLISHED.getAcquire(request) != head + 1) {
                break;
            }
            if (!request.expired) {
                hand(request, consumer);
            }
            head++;
            count++;
        }
        if (count > 0) {
            freeDrained();
        }
        return count;
    }

    /**
     * Fails the published requests whose deadline passed, for a core agent that cannot drain them (its slots are
     * full): a request never waits here beyond its deadline. Those at the head leave at once and free their
     * positions; those behind a request still in time are failed in place and skipped by the next drain.
     *
     * @param expired takes each request that expired, to fail it
     * @return how many expired
     */
    int expire(long nowNanos, Consumer<T> expired) {
        int count = 0;
        boolean atHead = true;
        for (long position = head; ; position++) {
            final Request<T> request = requests[(int) (position & mask)];
            if ((long) PUBLISHED.getAcquire(request) != position + 1) {
                break;
            }
            final boolean overdue = !request.expired && nowNanos - request.deadlineNanos >= 0;
            if (overdue) {
                hand(request, expired);
                request.expired = true;
                count++;
            }
            if (atHead && request.expired) {
                head = position + 1;
            } else {
                atHead = false;
            }
        }
        if (head != drained.get()) {
            freeDrained();
        }
        return count;
    }

    private void hand(Request<T> request, Consumer<T> consumer) {
        final T payload = request.payload;
        final ProposalCallback callback = request.callback;
        request.payload = null;
        request.callback = null;
        consumer.proposal(payload, callback, request.sessionId, request.sequence, request.deadlineNanos);
    }

    private void freeDrained() {
        drained.set(head);
        space.signal();
    }

    /**
     * Closes the intake once the core agent no longer runs: later offers return {@link Offer#CLOSED}, waiting
     * producers leave, and every request published and not drained is handed to {@code leftover}, so none is lost.
     * Called by the thread stopping the group, which takes over the consumer's role.
     */
    void close(Consumer<T> leftover) {
        closed = true;
        space.signal();
        while (producers.get() > 0) {
            Thread.onSpinWait(); // a producer between its claim and its publication finishes in a few instructions
        }
        drainTo(leftover, requests.length);
    }
}
