package dev.spool.raft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A single-member leader — the actor's commonest case, and the one where every flush report commits — allocates
 * nothing per entry, even when every entry is its own batch (propose, flush, commit, apply).
 */
class SingleMemberAllocationTest {

    private static final int ENTRIES = 100_000;

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
            .getCurrentThreadAllocatedBytes();
    }

    @Test
    @DisplayName("a single-member leader allocates under 1 byte per entry committed one at a time")
    void commitsWithoutAllocating() {
        final LogView log = new LogView() { // stores nothing: the driver's journal is not the core's business
            @Override
            public long firstIndex() {
                return 1;
            }

            @Override
            public long lastIndex() {
                return 0;
            }

            @Override
            public long term(long index) {
                throw new AssertionError("the core asked the view for the term of " + index);
            }

            @Override
            public long bytes(long first, long last) {
                return 64 * (last - first + 1);
            }
        };
        final var config = new RaftConfig("m1", 10, 1, 256, 1 << 20, 8, 8 << 20, 1 << 30, 1 << 20, Long.MAX_VALUE,
            1_000);
        final var core = new RaftCore(config, log, new SplittableRandom(1),
            InitialState.bootstrap(Membership.of(Member.voter("m1", ""))));
        while (core.role() != Role.LEADER) {
            core.tick();
            core.ready();
            core.advance();
        }
        runEntries(core, 3 * ENTRIES); // warm-up: until the JIT has compiled the path
        final long before = allocatedBytes();
        runEntries(core, ENTRIES);
        final long allocated = allocatedBytes() - before;
        assertEquals(core.lastIndex(), core.appliedIndex());
        assertTrue(allocated < ENTRIES, allocated + " bytes allocated for " + ENTRIES + " entries");
    }

    private static void runEntries(RaftCore core, int count) {
        for (int i = 0; i < count; i++) {
            final long index = core.propose();
            core.ready();
            core.advance();
            core.flushed(index, core.term());
            core.ready();
            core.advance();
            core.applied(index);
            core.ready();
            core.advance();
        }
    }
}
