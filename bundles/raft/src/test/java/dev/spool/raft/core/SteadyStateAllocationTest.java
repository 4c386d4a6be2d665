package dev.spool.raft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.cluster.Membership;
import dev.spool.api.spi.raft.AppendEntries;
import dev.spool.api.spi.raft.AppendResponse;
import dev.spool.api.spi.raft.RaftMessage;
import dev.spool.api.spi.raft.VoteResponse;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The core allocates nothing per entry in steady state: only per message, and messages carry ranges. */
class SteadyStateAllocationTest {

    private static final int BATCH = 1000;

    /** A log view that stores nothing: the core keeps terms itself and asks the view only for sizes. */
    private static final LogView SIZES_ONLY = new LogView() {
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
            throw new AssertionError("the core asked a term of the view in steady state: " + index);
        }

        @Override
        public long bytes(long first, long last) {
            return (last - first + 1) * 100;
        }
    };

    @Test
    @DisplayName("a leader proposing, replicating and committing entries allocates per message, never per entry")
    void leaderAllocatesNothingPerEntry() {
        final Membership abc = TestMember.voters("a", "b", "c");
        final RaftConfig config =
                new RaftConfig("a", 10, 1, 256, 1 << 20, 8, 8 << 20, 1 << 20, 1 << 20, Long.MAX_VALUE, 0);
        final RaftCore a = new RaftCore(config, SIZES_ONLY, new SplittableRandom(1), InitialState.bootstrap(abc));
        for (int i = 0; i < 20; i++) {
            a.tick();
        }
        a.ready();
        a.advance();
        a.step(new VoteResponse("b", "a", 1, true, true));
        a.step(new VoteResponse("b", "a", 1, false, true));
        assertEquals(Role.LEADER, a.role());
        final var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();

        runBatches(a, 50); // warm up: buffers reach their size, code is compiled
        final long before = threads.getThreadAllocatedBytes(thread);
        final int batches = 200;
        final long messages = runBatches(a, batches);
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;

        final long entries = (long) batches * BATCH;
        assertTrue(a.commitIndex() >= entries, "entries committed: " + a.commitIndex());
        // One 16-byte object per entry would be 3.2 MB; messages (and the test's acknowledgements) cost a few
        // hundred bytes each, and one message names up to 256 entries.
        assertTrue(
                allocated < messages * 256,
                allocated + " bytes for " + entries + " entries in " + messages + " messages");
        assertTrue(allocated < entries * 2, allocated + " bytes for " + entries + " entries");
    }

    /** Proposes batches, flushes them, acknowledges every AppendEntries; returns how many messages went out. */
    private static long runBatches(RaftCore leader, int batches) {
        long messages = 0;
        for (int batch = 0; batch < batches; batch++) {
            for (int i = 0; i < BATCH; i++) {
                leader.propose();
            }
            for (int round = 0; round < 4; round++) {
                final Ready ready = leader.ready();
                final List<RaftMessage> sent = ready.messages();
                long lastToB = 0;
                long lastToC = 0;
                for (int i = 0; i < sent.size(); i++) {
                    if (sent.get(i) instanceof AppendEntries append) {
                        if (append.to().equals("b")) {
                            lastToB = Math.max(lastToB, append.lastIndex());
                        } else {
                            lastToC = Math.max(lastToC, append.lastIndex());
                        }
                    }
                }
                messages += sent.size();
                leader.advance();
                leader.flushed(leader.lastIndex(), leader.term());
                if (lastToB > 0) {
                    leader.step(new AppendResponse("b", "a", leader.term(), true, lastToB, 0, 0, false));
                }
                if (lastToC > 0) {
                    leader.step(new AppendResponse("c", "a", leader.term(), true, lastToC, 0, 0, false));
                }
            }
        }
        return messages;
    }

    @Test
    @DisplayName("a single-member leader, every entry its own batch (propose, flush, commit, apply), allocates under"
            + " 1 byte per entry")
    void singleMemberLeaderAllocatesNothingPerEntry() {
        final var config =
                new RaftConfig("a", 10, 1, 256, 1 << 20, 8, 8 << 20, 1 << 30, 1 << 20, Long.MAX_VALUE, 1_000);
        final RaftCore a = new RaftCore(
                config, SIZES_ONLY, new SplittableRandom(1), InitialState.bootstrap(TestMember.voters("a")));
        while (a.role() != Role.LEADER) {
            a.tick();
            a.ready();
            a.advance();
        }
        final var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        final int entries = 100_000;
        commitOneByOne(a, 3 * entries); // warm-up: until the JIT has compiled the path
        final long before = threads.getThreadAllocatedBytes(thread);
        commitOneByOne(a, entries);
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertEquals(a.lastIndex(), a.appliedIndex());
        assertTrue(allocated < entries, allocated + " bytes allocated for " + entries + " entries");
    }

    @Test
    @DisplayName("an idle single-member leader allocates nothing per tick: time alone costs no garbage")
    void idleLeaderAllocatesNothingPerTick() {
        final var config =
                new RaftConfig("a", 10, 1, 256, 1 << 20, 8, 8 << 20, 1 << 30, 1 << 20, Long.MAX_VALUE, 1_000);
        final RaftCore a = new RaftCore(
                config, SIZES_ONLY, new SplittableRandom(1), InitialState.bootstrap(TestMember.voters("a")));
        final int ticks = 100_000;
        tick(a, 3 * ticks); // elects itself, then warms up until the JIT has compiled the path
        assertEquals(Role.LEADER, a.role());
        final var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(thread);
        tick(a, ticks);
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertTrue(allocated < ticks, allocated + " bytes allocated for " + ticks + " ticks");
    }

    private static void tick(RaftCore core, int ticks) {
        for (int i = 0; i < ticks; i++) {
            core.tick();
            core.ready();
            core.advance();
        }
    }

    private static void commitOneByOne(RaftCore core, int count) {
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
