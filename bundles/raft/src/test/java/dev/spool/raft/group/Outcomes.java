package dev.spool.raft.group;

import dev.spool.api.group.ProposalCallback;
import dev.spool.api.group.RaftGroupException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/** One callback for many proposals: counts what applied and keeps the failures. Allocates nothing on success. */
final class Outcomes implements ProposalCallback {

    final AtomicLong applied = new AtomicLong();
    final AtomicLong lastIndex = new AtomicLong();
    final Queue<RaftGroupException> failures = new ConcurrentLinkedQueue<>();
    volatile Object lastResult;

    @Override
    public void applied(long index, Object result) {
        lastResult = result;
        lastIndex.accumulateAndGet(index, Math::max);
        applied.incrementAndGet();
    }

    @Override
    public void failed(RaftGroupException error) {
        failures.add(error);
    }

    long settled() {
        return applied.get() + failures.size();
    }
}
