package dev.spool.raft.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pipeline's hot paths allocate nothing: measured per thread, after warm-up, over many iterations. */
class AllocationTest {

    private static final int WARM_UP = 100_000;
    private static final int ITERATIONS = 100_000;

    private final Sequence applied = new Sequence("applied", 0);
    private final SlotRing<Object, Runnable> ring = new SlotRing<>("g", 1024, 0, applied);
    private final Object payload = new Object();
    private final Runnable callback = () -> {};
    private final EpochSequence flushed = new EpochSequence("flushed", 1, 0);
    private final EpochSequence[] matched = new EpochSequence[4];
    private final ParkingSignal follower = new ParkingSignal("follower");
    private final Sequence committed = new Sequence("committed", 0);
    private long index;
    private long sink;

    AllocationTest() {
        for (int i = 0; i < matched.length; i++) {
            matched[i] = new EpochSequence("matched[" + i + "]", 1, 0);
        }
    }

    /** One entry through the whole pipeline: claim, fill, publish, flush, ack, commit, apply, free. */
    private void oneEntry() {
        index = ring.tryClaim();
        ring.slot(index).fillProposal(index, 1, payload, callback, 7, index, 1024);
        ring.publish(index);
        follower.signal();
        flushed.advance(1, index);
        for (EpochSequence peer : matched) {
            peer.advance(1, index);
        }
        matched[0].advance(1, index - 1); // a stale ack, dropped
        committed.set(Math.min(flushed.get(), matched[1].getInEpoch(1, 0)));
        sink += ring.accepted().getInEpoch(ring.accepted().epoch(), -1) + committed.get();
        ring.slot(index).clear();
        applied.set(Math.min(committed.get(), flushed.get()));
        if (ring.tryClaim() == SlotRing.BUSY) {
            throw new AssertionError("ring full at " + index);
        }
        ring.truncateAfter(index); // gives the extra claim back, in a new epoch of accepted
        follower.beginCycle();
    }

    @Test
    @DisplayName("claiming, publishing and freeing slots, and moving sequences allocate nothing")
    void pipelineAllocatesNothing() {
        for (int i = 0; i < WARM_UP; i++) {
            oneEntry();
        }
        final long before = AllocationMeter.allocatedBytes();
        for (int i = 0; i < ITERATIONS; i++) {
            oneEntry();
        }
        final long allocated = AllocationMeter.allocatedBytes() - before;
        assertTrue(allocated < ITERATIONS, allocated + " bytes allocated over " + ITERATIONS + " entries");
        assertEquals(WARM_UP + ITERATIONS, applied.get());
        assertEquals(WARM_UP + ITERATIONS, matched[0].staleUpdates().get());
        assertTrue(sink > 0);
    }

    @Test
    @Timeout(60) // a hang guard, not a timing assertion
    @DisplayName("an agent thread's duty cycles allocate nothing")
    void dutyCycleAllocatesNothing() throws Exception {
        final var measured = new CompletableFuture<Long>();
        try (var runner = AgentRunner.start("member", 1, 1_000_000, (a, e) -> measured.completeExceptionally(e))) {
            runner.add(new Agent() {
                private int cycles;
                private long before;

                @Override
                public int doWork() {
                    cycles++;
                    if (cycles == WARM_UP) {
                        before = AllocationMeter.allocatedBytes();
                    } else if (cycles == WARM_UP + ITERATIONS) {
                        measured.complete(AllocationMeter.allocatedBytes() - before);
                    }
                    return 1;
                }

                @Override
                public String roleName() {
                    return "busy";
                }
            });
            final long allocated = measured.get();
            assertTrue(allocated < ITERATIONS, allocated + " bytes allocated over " + ITERATIONS + " duty cycles");
        }
    }
}
