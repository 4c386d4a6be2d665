package dev.spool.raft.core;

/**
 * The leader's read-index requests in arrival order: each has a read index (the commit index when it arrived) and
 * the heartbeat context that confirms it. Contexts grow, so the confirmed requests are always a prefix. Arrays are
 * reused; they grow only to the largest backlog seen.
 */
final class ReadQueue {

    private long[] requests = new long[16];
    private long[] indexes = new long[16];
    private long[] contexts = new long[16];
    private int head;
    private int size;
    private int confirmed;

    void add(long request, long index, long context) {
        if (size == requests.length) {
            grow();
        }
        final int slot = (head + size) % requests.length;
        requests[slot] = request;
        indexes[slot] = index;
        contexts[slot] = context;
        size++;
    }

    /** Marks confirmed every request whose context is at most {@code context}. */
    void confirmUpTo(long context) {
        while (confirmed < size && contexts[(head + confirmed) % requests.length] <= context) {
            confirmed++;
        }
    }

    /** The context of the first unconfirmed request, or -1. */
    long firstUnconfirmedContext() {
        return confirmed < size ? contexts[(head + confirmed) % requests.length] : -1;
    }

    /** Hands the confirmed requests whose index is applied to {@code ready}, in order. */
    void release(long appliedIndex, Ready ready) {
        while (confirmed > 0 && indexes[head] <= appliedIndex) {
            ready.readConfirmed(requests[head], indexes[head]);
            head = (head + 1) % requests.length;
            size--;
            confirmed--;
        }
    }

    void clear() {
        head = 0;
        size = 0;
        confirmed = 0;
    }

    private void grow() {
        final long[] r = new long[size * 2];
        final long[] i = new long[size * 2];
        final long[] c = new long[size * 2];
        for (int k = 0; k < size; k++) {
            final int slot = (head + k) % requests.length;
            r[k] = requests[slot];
            i[k] = indexes[slot];
            c[k] = contexts[slot];
        }
        requests = r;
        indexes = i;
        contexts = c;
        head = 0;
    }
}
