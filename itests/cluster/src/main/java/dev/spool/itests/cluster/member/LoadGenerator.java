package dev.spool.itests.cluster.member;

import dev.spool.api.group.NotLeaderException;
import dev.spool.api.group.ProposalCallback;
import dev.spool.api.group.RaftGroup;
import dev.spool.api.group.RaftGroupException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps a fixed number of proposals in flight on the group this member leads, for a duration or a number of
 * entries, and measures what committed: entries per second, latency percentiles (proposal to {@code applied}
 * callback) and bytes allocated per entry.
 *
 * <p>Allocation-free per entry: each slot in flight is a preallocated {@link ProposalCallback} with its own reused
 * payload, latencies go into a fixed-bucket {@link LatencyHistogram}, and a finished slot is handed back through a
 * volatile flag. The calling thread proposes; the group's threads complete.
 *
 * <p>Threads: {@link #run} on one thread at a time (the control endpoint runs one load at a time).
 */
public final class LoadGenerator {

    /** How long a proposal waits for room in a full intake before it fails as busy. */
    private final RaftGroup<Sequenced> group;

    private final AllocationCounters allocation;
    private final RequestDeadline deadline;

    /**
     * Creates a generator.
     *
     * @param group the group to propose to
     * @param allocation the process's allocation counters
     * @param deadline how long each proposal may take to get its outcome
     */
    public LoadGenerator(RaftGroup<Sequenced> group, AllocationCounters allocation, RequestDeadline deadline) {
        this.group = group;
        this.allocation = allocation;
        this.deadline = deadline;
    }

    /**
     * What one load run measured.
     *
     * @param committed proposals whose entries were applied
     * @param failed proposals that failed (the run stops proposing at the first failure)
     * @param failure the first failure's message, or {@code null}
     * @param elapsedNanos from the first proposal to the last completion
     * @param p50Nanos the median latency
     * @param p99Nanos the 99th percentile latency
     * @param p999Nanos the 99.9th percentile latency
     * @param allocated bytes allocated during the run
     */
    public record Result(
            long committed,
            long failed,
            String failure,
            long elapsedNanos,
            long p50Nanos,
            long p99Nanos,
            long p999Nanos,
            AllocationCounters.Allocated allocated) {

        /** @return committed entries per second */
        public double entriesPerSecond() {
            return elapsedNanos == 0 ? 0 : committed * 1e9 / elapsedNanos;
        }
    }

    /**
     * Runs a load.
     *
     * @param inFlight how many proposals to keep in flight
     * @param size each payload's size in bytes
     * @param firstSequence the first proposal's sequence number; the next ones count up
     * @param maxEntries stop after proposing this many (or {@link Long#MAX_VALUE})
     * @param maxNanos stop proposing after this long (or {@link Long#MAX_VALUE})
     * @return what was measured
     * @throws NoOutcomeException if proposals in flight get no outcome within the deadline (the group lost them)
     * @throws InterruptedException if the calling thread is interrupted
     */
    public Result run(int inFlight, int size, long firstSequence, long maxEntries, long maxNanos)
            throws NoOutcomeException, InterruptedException {
        final Run run = new Run(Thread.currentThread(), inFlight, size);
        final AllocationCounters.Allocated before = allocation.read();
        final long start = System.nanoTime();
        long sequence = firstSequence;
        int cursor = 0;
        // Since when every slot has been in flight: no proposal may go without an outcome beyond the deadline.
        long fullSince = 0;
        while (sequence - firstSequence < maxEntries
                && System.nanoTime() - start < maxNanos
                && run.firstFailure == null) {
            final Slot slot = run.nextFree(cursor);
            if (slot == null) {
                final long now = System.nanoTime();
                if (fullSince == 0) {
                    fullSince = now;
                } else if (now - fullSince > deadline.outcomeNanos()) {
                    break;
                }
                run.awaitCompletion();
                continue;
            }
            fullSince = 0;
            cursor = slot.position + 1 == inFlight ? 0 : slot.position + 1;
            slot.propose(sequence++);
        }
        final long drainDeadline = System.nanoTime() + deadline.outcomeNanos();
        while (!run.allFree() && System.nanoTime() < drainDeadline) {
            Thread.sleep(1);
        }
        if (!run.allFree()) {
            throw new NoOutcomeException(run.inFlight() + " proposals got no outcome within " + deadline.describe()
                    + " after proposing stopped");
        }
        final AllocationCounters.Allocated allocated = allocation.read().since(before);
        final LatencyHistogram latencies = run.latencies;
        return new Result(
                latencies.total(),
                run.failed.get(),
                run.firstFailure,
                Math.max(0, run.lastCompletion - start),
                latencies.percentile(0.5),
                latencies.percentile(0.99),
                latencies.percentile(0.999),
                allocated);
    }

    /** One load run: its slots, latencies and failures. */
    private final class Run {

        final Thread proposer;
        final Slot[] slots;
        final LatencyHistogram latencies = new LatencyHistogram();
        final AtomicLong failed = new AtomicLong();
        /** Set by the first failure; stops the run. */
        volatile String firstFailure;
        /** Written by the completing thread before it frees the slot; read once every slot is free. */
        long lastCompletion;
        /** Whether the proposer is parked waiting for a free slot (completions unpark it only then). */
        volatile boolean waiting;

        Run(Thread proposer, int inFlight, int size) {
            this.proposer = proposer;
            this.slots = new Slot[inFlight];
            for (int i = 0; i < inFlight; i++) {
                slots[i] = new Slot(this, i, size);
            }
        }

        Slot nextFree(int from) {
            for (int i = 0; i < slots.length; i++) {
                final Slot slot = slots[(from + i) % slots.length];
                if (slot.free) {
                    return slot;
                }
            }
            return null;
        }

        int inFlight() {
            int busy = 0;
            for (Slot slot : slots) {
                busy += slot.free ? 0 : 1;
            }
            return busy;
        }

        boolean allFree() {
            for (Slot slot : slots) {
                if (!slot.free) {
                    return false;
                }
            }
            return true;
        }

        void awaitCompletion() throws InterruptedException {
            waiting = true;
            // Scan again after raising the flag: a completion that came before it did not unpark.
            if (nextFree(0) == null) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            waiting = false;
            if (Thread.interrupted()) {
                throw new InterruptedException("the load was interrupted");
            }
        }

        void completed(Slot slot) {
            slot.free = true;
            if (waiting) {
                LockSupport.unpark(proposer);
            }
        }
    }

    /** One proposal in flight: its payload, its start time, and the callback that frees it. */
    private final class Slot implements ProposalCallback {

        final Run run;
        final int position;
        final Sequenced payload;
        long startNanos;
        volatile boolean free = true;

        Slot(Run run, int position, int size) {
            this.run = run;
            this.position = position;
            this.payload = new Sequenced(0, size);
        }

        void propose(long sequence) {
            free = false;
            payload.set(sequence, payload.size());
            startNanos = System.nanoTime();
            group.propose(payload, deadline.timeoutMillis(), TimeUnit.MILLISECONDS, this);
        }

        @Override
        public void applied(long index, Object result) {
            final long now = System.nanoTime();
            run.latencies.record(now - startNanos);
            run.lastCompletion = now;
            run.completed(this);
        }

        @Override
        public void failed(RaftGroupException error) {
            run.failed.incrementAndGet();
            if (run.firstFailure == null) {
                run.firstFailure = error instanceof NotLeaderException
                        ? "not the leader: " + error.getMessage()
                        : error.getMessage();
            }
            run.completed(this);
        }
    }
}
