package dev.spool.raft.group;

import dev.spool.api.group.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.function.ObjLongConsumer;

/**
 * A state machine whose state is the number of entries applied and a checksum over their payloads, in order: two
 * members (or one member before and after a restart) that applied the same entries have the same state. Applying
 * allocates nothing. The apply thread may be held at a gate, to fill the pipeline.
 */
final class ChecksumMachine implements StateMachine<byte[]> {

    private volatile long count;
    private volatile long checksum;
    private volatile long lastIndex;
    private volatile CountDownLatch gate;
    /** Whether the apply thread waits at the gate now. */
    private volatile boolean held;
    /** Sees every payload as it is applied, before the call returns. */
    private final ObjLongConsumer<byte[]> observer;
    /** Bytes written after the state in every snapshot, so that a snapshot takes several chunks to send. */
    private final int snapshotPadding;

    ChecksumMachine() {
        this((payload, index) -> {}, 0);
    }

    /** A machine that shows {@code observer} every payload it applies, with its index, during the apply. */
    ChecksumMachine(ObjLongConsumer<byte[]> observer) {
        this(observer, 0);
    }

    ChecksumMachine(int snapshotPadding) {
        this((payload, index) -> {}, snapshotPadding);
    }

    private ChecksumMachine(ObjLongConsumer<byte[]> observer, int snapshotPadding) {
        this.observer = observer;
        this.snapshotPadding = snapshotPadding;
    }

    @Override
    public Object apply(long index, byte[] payload) {
        final CountDownLatch closed = gate;
        if (closed != null) {
            held = true;
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            held = false;
        }
        observer.accept(payload, index);
        long hash = checksum * 31 + index;
        for (byte b : payload) {
            hash = hash * 31 + b;
        }
        checksum = hash;
        count = count + 1;
        lastIndex = index;
        return null;
    }

    @Override
    public void writeSnapshot(OutputStream out) throws IOException {
        final var data = new DataOutputStream(out);
        data.writeLong(count);
        data.writeLong(checksum);
        data.writeLong(lastIndex);
        // not zeros, which a compressed body would shrink to nothing
        final var padding = new byte[snapshotPadding];
        new java.util.SplittableRandom(lastIndex).nextBytes(padding);
        data.write(padding);
        data.flush();
    }

    @Override
    public void restore(InputStream in, int formatVersion) throws IOException {
        final var data = new DataInputStream(in);
        count = data.readLong();
        checksum = data.readLong();
        lastIndex = data.readLong();
        data.readNBytes(snapshotPadding);
    }

    @Override
    public void reset() {
        count = 0;
        checksum = 0;
        lastIndex = 0;
    }

    /** Holds the apply thread at its next entry until {@link #open()}. */
    void close() {
        gate = new CountDownLatch(1);
    }

    /** @return whether the apply thread waits at the gate now */
    boolean waiting() {
        return held;
    }

    void open() {
        final CountDownLatch closed = gate;
        gate = null;
        if (closed != null) {
            closed.countDown();
        }
    }

    long count() {
        return count;
    }

    long checksum() {
        return checksum;
    }

    long lastIndex() {
        return lastIndex;
    }
}
