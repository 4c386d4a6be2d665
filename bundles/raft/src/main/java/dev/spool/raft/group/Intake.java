package dev.spool.raft.group;

import dev.spool.api.group.ProposalCallback;
import dev.spool.api.spi.replication.ReceivedBytes;
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
 * <p>A request holds a client's payload object ({@link #offer}) or the encoded payload of a proposal a follower
 * forwarded ({@link #offerForwarded}), each in a field of its own type. The bytes of a forwarded request are the
 * intake's until it hands the request over: a drained request's are its consumer's; those of a request the intake
 * ends itself ({@link #expire}, {@link #close}) it releases (docs/raft-actor.md, "Ownership").
 *
 * <p>Threads: {@link #offer} and {@link #offerForwarded} from any thread; {@link #drainTo} and {@link #expire} from
 * the core agent only.
 *
 * @param <T> the application's payload type
 */
final class Intake<T> {

    /** Receives one drained request; the core agent. */
    interface Consumer<T> {
        /**
         * Takes one proposal; the request's fields are valid only during the call.
         *
         * @param payload the client's payload object, or {@code null} for a forwarded proposal
         * @param forwarded a forwarded proposal's encoded payload, owned by the consumer from here; otherwise
         *     {@code null}
         * @param deadlineNanos the proposer's deadline, which bounds the wait for the leader's answer when the
         *     proposal is forwarded
         */
        void proposal(
                T payload,
                ReceivedBytes forwarded,
                ProposalCallback callback,
                long sessionId,
                long sequence,
                long deadlineNanos);
    }

    /** Receives the callback of a request the intake ended (past its deadline, or left at close), to fail it. */
    interface Ended {
        /** Fails the request; its forwarded bytes, if any, are released already. */
        void ended(ProposalCallback callback);
    }

    /** One position of the ring. */
    private static final class Request<T> {
        /** The position this request was last published for, plus one; written last by its producer. */
        volatile long published;
        /** The client's payload object, or {@code null} for a forwarded proposal. */
        T payload;
        /** A forwarded proposal's encoded payload, or {@code null} for a client's. */
        ReceivedBytes forwarded;

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
            throw new IllegalArgumentException(
                    name + ": intake capacity must be a positive power of two, not " + capacity);
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
    enum Offer {
        ACCEPTED,
        FULL,
        CLOSED
    }

    /**
     * Offers a client's proposal, waiting up to the deadline for a free position.
     *
     * @return {@link Offer#ACCEPTED}: the core agent will take it (or {@link #close} ends it);
     *     {@link Offer#FULL}: no position became free by the deadline; {@link Offer#CLOSED}: the group stopped
     */
    Offer offer(
            T payload, ProposalCallback callback, long sessionId, long sequence, long deadlineNanos, NanoClock clock)
            throws InterruptedException {
        return offer(payload, null, callback, sessionId, sequence, deadlineNanos, clock);
    }

    /**
     * Offers a proposal a follower forwarded, as {@link #offer} does.
     *
     * @param forwarded its encoded payload, the intake's once accepted; the caller's still otherwise
     */
    Offer offerForwarded(
            ReceivedBytes forwarded,
            ProposalCallback callback,
            long sessionId,
            long sequence,
            long deadlineNanos,
            NanoClock clock)
            throws InterruptedException {
        return offer(null, forwarded, callback, sessionId, sequence, deadlineNanos, clock);
    }

    private Offer offer(
            T payload,
            ReceivedBytes forwarded,
            ProposalCallback callback,
            long sessionId,
            long sequence,
            long deadlineNanos,
            NanoClock clock)
            throws InterruptedException {
        producers.incrementAndGet();
        try {
            return offerWhileOpen(payload, forwarded, callback, sessionId, sequence, deadlineNanos, clock);
        } finally {
            producers.decrementAndGet();
        }
    }

    private Offer offerWhileOpen(
            T payload,
            ReceivedBytes forwarded,
            ProposalCallback callback,
            long sessionId,
            long sequence,
            long deadlineNanos,
            NanoClock clock)
            throws InterruptedException {
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
                    request.forwarded = forwarded;
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
        return drain(consumer, null, max);
    }

    /** Hands the published requests to {@code consumer}, or, without one, ends them through {@code ended}. */
    private int drain(Consumer<T> consumer, Ended ended, int max) {
        int count = 0;
        while (count < max) {
            final Request<T> request = requests[(int) (head & mask)];
            if ((long) PUBLISHED.getAcquire(request) != head + 1) {
                break;
            }
            if (!request.expired) {
                if (consumer != null) {
                    hand(request, consumer);
                } else {
                    end(request, ended);
                }
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
    int expire(long nowNanos, Ended expired) {
        int count = 0;
        boolean atHead = true;
        for (long position = head; ; position++) {
            final Request<T> request = requests[(int) (position & mask)];
            if ((long) PUBLISHED.getAcquire(request) != position + 1) {
                break;
            }
            final boolean overdue = !request.expired && nowNanos - request.deadlineNanos >= 0;
            if (overdue) {
                end(request, expired);
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
        final ReceivedBytes forwarded = request.forwarded;
        final ProposalCallback callback = request.callback;
        forget(request);
        consumer.proposal(payload, forwarded, callback, request.sessionId, request.sequence, request.deadlineNanos);
    }

    /** Ends a request here: releases its forwarded bytes, if any, and hands its callback to be failed. */
    private void end(Request<T> request, Ended ended) {
        final ReceivedBytes forwarded = request.forwarded;
        final ProposalCallback callback = request.callback;
        forget(request);
        if (forwarded != null) {
            forwarded.release();
        }
        ended.ended(callback);
    }

    private void forget(Request<T> request) {
        request.payload = null;
        request.forwarded = null;
        request.callback = null;
    }

    private void freeDrained() {
        drained.set(head);
        space.signal();
    }

    /**
     * Closes the intake once the core agent no longer runs: later offers return {@link Offer#CLOSED}, waiting
     * producers leave, and every request published and not drained is ended, its callback handed to
     * {@code leftover}, so none is lost. Called by the thread stopping the group, which takes over the consumer's
     * role.
     */
    void close(Ended leftover) {
        closed = true;
        space.signal();
        while (producers.get() > 0) {
            Thread.onSpinWait(); // a producer between its claim and its publication finishes in a few instructions
        }
        drain(null, leftover, requests.length);
    }
}
