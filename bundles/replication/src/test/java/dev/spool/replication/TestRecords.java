package dev.spool.replication;

import dev.spool.api.journal.RawRecords;
import dev.spool.api.raft.AppendEntries;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;

/** A leader's journal view over a direct buffer, telling when it is released. */
final class TestRecords implements RawRecords {

    final CountDownLatch released = new CountDownLatch(1);
    private final AppendEntries range;
    private final ByteBuffer buffer;

    TestRecords(AppendEntries range, byte[] bytes) {
        this.range = range;
        this.buffer = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }

    /** A view of the message's range with 40 bytes per entry (a record header is 28). */
    static TestRecords of(AppendEntries range) {
        return new TestRecords(range, new byte[Math.toIntExact(40 * range.entryCount())]);
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
        return buffer;
    }

    @Override
    public void release() {
        released.countDown();
    }
}
