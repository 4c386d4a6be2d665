package dev.spool.replication;

import dev.spool.api.spi.journal.RawRecords;
import dev.spool.api.spi.raft.AppendEntries;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A leader's journal view for tests: records over a direct buffer (as a mapped segment is), read-only like the
 * journal's, counting its releases, which may come from any thread.
 */
public final class TestRecords implements RawRecords {

    private final AppendEntries range;
    private final ByteBuffer buffer;
    private final AtomicInteger releases = new AtomicInteger();
    private final CountDownLatch released = new CountDownLatch(1);

    /**
     * Creates the view.
     *
     * @param range the AppendEntries the records belong to
     * @param bytes the records
     */
    public TestRecords(AppendEntries range, byte[] bytes) {
        this.range = range;
        this.buffer = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }

    /**
     * Returns a view of a message's range with 40 bytes per entry (a record header is 28).
     *
     * @param range the AppendEntries
     * @return the view
     */
    static TestRecords of(AppendEntries range) {
        return new TestRecords(range, new byte[Math.toIntExact(40 * range.entryCount())]);
    }

    /**
     * Returns how often the view was released.
     *
     * @return the count: 1 once a write is done with it, never more
     */
    public int releases() {
        return releases.get();
    }

    /**
     * Waits for the first release.
     *
     * @param timeout the longest wait
     * @param unit the wait's unit
     * @return whether the view was released in time
     */
    public boolean awaitReleased(long timeout, TimeUnit unit) throws InterruptedException {
        return released.await(timeout, unit);
    }

    @Override
    public long firstIndex() {
        return range.firstIndex();
    }

    @Override
    public long lastIndex() {
        return range.lastIndex();
    }

    @Override
    public long lastTerm() {
        return range.entryTerm();
    }

    @Override
    public ByteBuffer buffer() {
        return buffer.asReadOnlyBuffer();
    }

    @Override
    public void release() {
        releases.incrementAndGet();
        released.countDown();
    }
}
