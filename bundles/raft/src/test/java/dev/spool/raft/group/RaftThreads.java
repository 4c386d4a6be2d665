package dev.spool.raft.group;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/** Reads the bytes allocated by the agent threads of a runner, by their name prefix, from outside those threads. */
final class RaftThreads {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final long[] ids;

    RaftThreads(String runnerName) {
        final List<Long> found = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith(runnerName + "-")) {
                found.add(thread.getId());
            }
        }
        ids = found.stream().mapToLong(Long::longValue).toArray();
        if (ids.length == 0) {
            throw new IllegalStateException("no thread of runner " + runnerName);
        }
    }

    /** @return the bytes the runner's threads have allocated so far, together */
    long allocatedBytes() {
        long total = 0;
        for (long allocated : THREADS.getThreadAllocatedBytes(ids)) {
            total += allocated;
        }
        return total;
    }

    int count() {
        return ids.length;
    }
}
