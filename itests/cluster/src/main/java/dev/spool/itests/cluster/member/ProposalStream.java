package dev.spool.itests.cluster.member;

import dev.spool.api.group.ProposalCallback;
import dev.spool.api.group.RaftGroup;
import dev.spool.api.group.RaftGroupException;
import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Proposes consecutive sequence numbers with a bounded number in flight and reports every outcome as it arrives,
 * one line each, so that a client learns of each acknowledgement even if this process dies before the end:
 *
 * <pre>
 * ack SEQUENCE INDEX      the entry committed and was applied here, at INDEX
 * fail SEQUENCE REASON    the proposal failed (proposing stops at the first failure)
 * done acknowledged=N highest=INDEX failed=F
 * </pre>
 *
 * <p>Acknowledged means what the group promises: the {@code applied} callback ran. Threads: {@link #run} on the
 * calling thread, which also writes the lines; outcomes arrive on the group's threads and are queued.
 */
final class ProposalStream {

    /** How long a proposal waits for room in a full intake. */
    private static final long PROPOSE_TIMEOUT_SECONDS = 10;
    /** Outcomes are written at least this often while proposals run. */
    private static final long FLUSH_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** How long to wait for the last outcomes after proposing stopped. */
    private static final long DRAIN_TIMEOUT_SECONDS = 60;

    private final RaftGroup<Sequenced> group;

    ProposalStream(RaftGroup<Sequenced> group) {
        this.group = group;
    }

    /** One proposal's outcome. */
    private record Outcome(long sequence, long index, String failure) {
    }

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
        final Tally tally = new Tally(out);
        long lastFlush = System.nanoTime();
        long proposed = 0;
        while (proposed < count && tally.failed == 0) {
            if (window.tryAcquire(1, TimeUnit.MILLISECONDS)) {
                final long sequence = first + proposed++;
                group.propose(new Sequenced(sequence, size), PROPOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS,
                    new ProposalCallback() {
                        @Override
                        public void applied(long index, Object result) {
                            outcomes.add(new Outcome(sequence, index, null));
                            window.release();
                        }

                        @Override
                        public void failed(RaftGroupException error) {
                            outcomes.add(new Outcome(sequence, 0, error.getClass().getSimpleName() + ": "
                                + error.getMessage()));
                            window.release();
                        }
                    });
            }
            if (System.nanoTime() - lastFlush >= FLUSH_NANOS) {
                for (Outcome outcome = outcomes.poll(); outcome != null; outcome = outcomes.poll()) {
                    tally.count(outcome);
                }
                out.flush();
                lastFlush = System.nanoTime();
            }
        }
        for (long left = proposed - tally.acknowledged - tally.failed; left > 0; left--) {
            final Outcome outcome = outcomes.poll(DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (outcome == null) {
                throw new IOException(left + " proposals had no outcome " + DRAIN_TIMEOUT_SECONDS + " s after the last"
                    + " one was made");
            }
            tally.count(outcome);
        }
        out.write("done acknowledged=" + tally.acknowledged + " highest=" + tally.highest + " failed=" + tally.failed
            + "\n");
        out.flush();
    }

    /** Counts outcomes and writes their lines. */
    private static final class Tally {

        final Writer out;
        long acknowledged;
        long highest;
        long failed;

        Tally(Writer out) {
            this.out = out;
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
    }
}
