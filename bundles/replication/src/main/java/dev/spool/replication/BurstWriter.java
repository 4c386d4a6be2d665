package dev.spool.replication;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes frames to a connection from any thread and flushes once per burst: each frame is queued to the event loop
 * without a flush, and the first frame after a flush schedules the next one, so many messages sent together cost one
 * wake-up of the event loop and one write to the socket. The sending thread allocates nothing here but Netty's
 * pooled write tasks, and the writes keep their void promise on the event loop (the liveness handler counts flushes,
 * not completed writes).
 *
 * <p>The flush runs in two steps on the event loop: the first clears the pending flag and queues the second, which
 * flushes. A writer that found the flag set queued its frame before the first step cleared it, hence before the
 * second step was queued, so the flush it counts on covers its frame.
 *
 * <p>Threads: any.
 */
final class BurstWriter {

    private final Channel channel;
    private final AtomicBoolean flushPending = new AtomicBoolean();
    private final Runnable flush;
    private final Runnable flushAfterQueuedWrites;

    BurstWriter(Channel channel) {
        this.channel = channel;
        this.flush = channel::flush;
        this.flushAfterQueuedWrites = this::flushAfterQueuedWrites;
    }

    /**
     * Queues a frame; a flush follows. The channel releases the frame once written, or if the write fails.
     *
     * @param frame the frame, owned by the channel from now on
     */
    void write(ByteBuf frame) {
        channel.write(frame, channel.voidPromise());
        if (!flushPending.getAndSet(true)) {
            execute(flushAfterQueuedWrites);
        }
    }

    private void flushAfterQueuedWrites() {
        flushPending.set(false);
        execute(flush);
    }

    /**
     * Runs a task on the connection's event loop, unless the event loop stopped (the member is closing).
     *
     * @param task the task
     */
    void execute(Runnable task) {
        try {
            channel.eventLoop().execute(task);
        } catch (RejectedExecutionException e) {
            // The I/O threads stop: the streamer is closing and the connection with it.
        }
    }
}
