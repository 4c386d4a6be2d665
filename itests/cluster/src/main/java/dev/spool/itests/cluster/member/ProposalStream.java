package dev.spool.itests.cluster.member;

import dev.spool.api.group.ProposalCallback;
import dev.spool.api.group.RaftGroup;
import dev.spool.api.group.RaftGroupException;
import java.io.IOException;
import java.io.Writer;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Proposes consecutive sequence numbers with a bounded number in flight and reports every outcome as it arrives,
 * one line each, so that a client learns of each acknowledgement even if this process dies before the end:
 *
 * <pre>
 * ack SEQUENCE INDEX      the entry committed and was applied here, at INDEX
 * fail SEQUENCE REASON    the proposal failed (proposing stops at the first failure)
 * lost SEQUENCE REASON    the group gave no outcome within the request deadline (proposing stops too)
 * done acknowledged=N highest=INDEX failed=F lost=L
 * </pre>
 *
 * <p>Acknowledged means what the group promises: the {@code applied} callback ran. A proposal the group never ends
 * is reported {@code lost} once its {@link RequestDeadline} has passed, so a stream always ends. Threads: {@link #run}
 * on the calling thread, which also writes the lines; outcomes arrive on the group's threads and are queued.
 */
final class ProposalStream {

    /** Outcomes are written at least this often while proposals run. */
    private static final long FLUSH_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final RaftGroup<Sequenced> group;
    private final RequestDeadline deadline;

    ProposalStream(RaftGroup<Sequenced> group, RequestDeadline deadline) {
        this.group = group;
        this.deadline = deadline;
    }

    /** One proposal's outcome. */
    private record Outcome(long sequence, long index, String failure) {}

    /**
     * Proposes {@code count} entries numbered from {@code first} and writes their outcomes to {@code out}.
     *
     * @param first the first sequence number
     * @param count how many entries
     * @param size each payload's size in bytes
     * @param inFlight the most proposals without an outcome at once
     * @param out where the lines go; flushed as outcomes arrive
     * @throws IOException if writing fails (the client went away)
     * @throws InterruptedException if the calling thread is interrupted
     */
    void run(long first, long count, int size, int inFlight, Writer out) throws IOException, InterruptedException {
        final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
        final Semaphore window = new Semaphore(inFlight);
        // Proposals without an outcome, by sequence number, with when they were made. Whoever removes one (its
        // callback, or the expiry below) reports it: an outcome that comes after the expiry is not reported twice.
        final ConcurrentSkipListMap<Long, Long> outstanding = new ConcurrentSkipListMap<>();
        // Set by the first failure or loss: no proposal is made after it.
        final AtomicBoolean stop = new AtomicBoolean();
        final Tally tally = new Tally(out, stop);
        long lastFlush = System.nanoTime();
        long proposed = 0;
        while (proposed < count && !stop.get()) {
            if (window.tryAcquire(1, TimeUnit.MILLISECONDS)) {
                final long sequence = first + proposed++;
                outstanding.put(sequence, System.nanoTime());
                group.propose(
                        new Sequenced(sequence, size),
                        deadline.timeoutMillis(),
                        TimeUnit.MILLISECONDS,
                        new ProposalCallback() {
                            @Override
                            public void applied(long index, Object result) {
                                if (outstanding.remove(sequence) != null) {
                                    outcomes.add(new Outcome(sequence, index, null));
                                }
                                window.release();
                            }

                            @Override
                            public void failed(RaftGroupException error) {
                                stop.set(true);
                                if (outstanding.remove(sequence) != null) {
                                    outcomes.add(new Outcome(
                                            sequence, 0, error.getClass().getSimpleName() + ": " + error.getMessage()));
                                }
                                window.release();
                            }
                        });
            }
            if (System.nanoTime() - lastFlush >= FLUSH_NANOS) {
                report(outcomes, outstanding, tally);
                out.flush();
                lastFlush = System.nanoTime();
            }
        }
        while (!outstanding.isEmpty()) {
            final Outcome outcome = outcomes.poll(FLUSH_NANOS, TimeUnit.NANOSECONDS);
            if (outcome != null) {
                tally.count(outcome);
            }
            report(outcomes, outstanding, tally);
            out.flush();
        }
        report(outcomes, outstanding, tally);
        out.write("done acknowledged=" + tally.acknowledged + " highest=" + tally.highest + " failed=" + tally.failed
                + " lost=" + tally.lost + "\n");
        out.flush();
    }

    /** Writes the outcomes that arrived, and gives up on the proposals whose deadline passed. */
    private void report(BlockingQueue<Outcome> outcomes, ConcurrentSkipListMap<Long, Long> outstanding, Tally tally)
            throws IOException {
        for (Outcome outcome = outcomes.poll(); outcome != null; outcome = outcomes.poll()) {
            tally.count(outcome);
        }
        final long now = System.nanoTime();
        // Made in sequence order with one timeout: the oldest expire first.
        for (Map.Entry<Long, Long> oldest = outstanding.firstEntry();
                oldest != null && now - oldest.getValue() > deadline.outcomeNanos();
                oldest = outstanding.firstEntry()) {
            if (outstanding.remove(oldest.getKey()) != null) {
                tally.lost(oldest.getKey());
            }
        }
    }

    /** Counts outcomes and writes their lines. */
    private final class Tally {

        final Writer out;
        final AtomicBoolean stop;
        long acknowledged;
        long highest;
        long failed;
        long lost;

        Tally(Writer out, AtomicBoolean stop) {
            this.out = out;
            this.stop = stop;
        }

        void count(Outcome outcome) throws IOException {
            if (outcome.failure() == null) {
                acknowledged++;
                highest = Math.max(highest, outcome.index());
                out.write("ack " + outcome.sequence() + " " + outcome.index() + "\n");
            } else {
                failed++;
                out.write("fail " + outcome.sequence() + " " + outcome.failure().replace('\n', ' ') + "\n");
            }
        }

        void lost(long sequence) throws IOException {
            stop.set(true);
            lost++;
            out.write("lost " + sequence + " no outcome within " + deadline.describe() + " of the proposal\n");
        }
    }
}
