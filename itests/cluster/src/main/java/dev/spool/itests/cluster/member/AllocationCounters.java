package dev.spool.itests.cluster.member;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;

/**
 * Bytes allocated so far by this process's threads, read from {@link com.sun.management.ThreadMXBean}: those of
 * the member's Raft agent threads, those of the transport's event loops, and those of every live thread. Threads
 * that already ended are not counted (a member's threads live as long as it does).
 *
 * <p>Thread-safe; reading allocates on the calling thread only.
 */
public final class AllocationCounters {

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /**
     * Bytes allocated up to one moment.
     *
     * @param raft by the member's agent threads (core, log and apply agents of every group)
     * @param transport by the transport's event-loop threads
     * @param process by every live thread of the process
     */
    public record Allocated(long raft, long transport, long process) {

        /**
         * Returns what was allocated between an earlier reading and this one.
         *
         * @param before the earlier reading
         * @return the difference
         */
        public Allocated since(Allocated before) {
            return new Allocated(raft - before.raft, transport - before.transport, process - before.process);
        }
    }

    /**
     * Reads the counters now.
     *
     * @return the bytes allocated so far
     * @throws UnsupportedOperationException if the JVM does not count allocation per thread
     */
    public Allocated read() {
        if (!threads.isThreadAllocatedMemorySupported() || !threads.isThreadAllocatedMemoryEnabled()) {
            throw new UnsupportedOperationException("this JVM does not count allocated bytes per thread");
        }
        final long[] ids = threads.getAllThreadIds();
        final long[] bytes = threads.getThreadAllocatedBytes(ids);
        final ThreadInfo[] infos = threads.getThreadInfo(ids);
        long raft = 0;
        long transport = 0;
        long process = 0;
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] < 0 || infos[i] == null) {
                continue; // the thread ended meanwhile
            }
            process += bytes[i];
            final String name = infos[i].getThreadName();
            if (name.startsWith(ClusterNode.RAFT_THREAD_PREFIX)) {
                raft += bytes[i];
            } else if (name.startsWith(ClusterNode.TRANSPORT_THREAD_PREFIX)) {
                transport += bytes[i];
            }
        }
        return new Allocated(raft, transport, process);
    }
}
