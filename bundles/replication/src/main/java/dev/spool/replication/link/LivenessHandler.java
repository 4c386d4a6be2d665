package dev.spool.replication.link;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Watches a connection's traffic and reports silence as Netty's idle events:
 * {@link IdleStateEvent#WRITER_IDLE_STATE_EVENT} when nothing was flushed for the keep-alive interval (the frame stage then sends a keep-alive), and
 * {@link IdleStateEvent#READER_IDLE_STATE_EVENT} when nothing was received for the idle timeout (the connection is
 * then closed as dead). Each is reported once per quiet stretch of that length.
 *
 * <p>Unlike Netty's {@code IdleStateHandler}, it counts a flush, not a completed write, as sending: it needs no
 * promise per write, so the void promises of the connection's writes stay void and a frame costs no allocation here.
 * A flush whose bytes the socket cannot take yet still means the connection is sending, which is what keeps the
 * peer's idle timeout from firing as long as the connection works.
 *
 * <p>A check that runs more than half a keep-alive interval after it was due found an event loop that did not run
 * (the process was paused, e.g. by SIGSTOP, or starved): what the peer sent meanwhile may still wait unread in the
 * socket, and the loop runs its overdue timers before it reads. So an idle timeout observed after such a stall is
 * not reported at once: the reader check looks again one keep-alive interval later, after the waiting bytes were
 * read; a healthy peer sends at least that often. A stall shorter than that cannot hide a healthy peer: the loop
 * itself then watched it stay silent for more than a keep-alive interval.
 *
 * <p>Threads: the connection's event loop.
 */
final class LivenessHandler extends ChannelDuplexHandler {

    private final long keepAliveNanos;
    private final long idleTimeoutNanos;
    /** How late a check may run before it takes the event loop for stalled. */
    private final long lateNanos;

    private final LongSupplier clock;
    private long lastFlushNanos;
    private long lastReadNanos;
    /** A read whose batch has not completed yet: the connection is receiving now. */
    private boolean reading;

    private final Runnable checkWriter = this::checkWriter;
    private final Runnable checkReader = this::checkReader;
    /** The handler's place in the pipeline, once the checks started. */
    private ChannelHandlerContext ctx;

    private ScheduledFuture<?> writerCheck;
    private ScheduledFuture<?> readerCheck;
    private long writerDueNanos;
    private long readerDueNanos;
    /** When a check last found itself late, the end of a stall of the event loop; bytes may wait unread since. */
    private long resumedNanos;

    /**
     * Creates the handler.
     *
     * @param keepAliveNanos how long the connection may send nothing before the writer-idle event
     * @param idleTimeoutNanos how long it may receive nothing before the reader-idle event
     */
    LivenessHandler(long keepAliveNanos, long idleTimeoutNanos) {
        this(keepAliveNanos, idleTimeoutNanos, System::nanoTime);
    }

    /**
     * Creates the handler with a clock of its own.
     *
     * @param keepAliveNanos how long the connection may send nothing before the writer-idle event
     * @param idleTimeoutNanos how long it may receive nothing before the reader-idle event
     * @param clock the time in nanoseconds, on the same scale as the event loop's scheduling
     */
    LivenessHandler(long keepAliveNanos, long idleTimeoutNanos, LongSupplier clock) {
        this.keepAliveNanos = keepAliveNanos;
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.lateNanos = keepAliveNanos / 2;
        this.clock = clock;
    }

    /**
     * Returns the idle timeout, for the log line of a close.
     *
     * @return how long the connection may receive nothing, in milliseconds
     */
    long idleTimeoutMillis() {
        return TimeUnit.NANOSECONDS.toMillis(idleTimeoutNanos);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
            start(ctx);
        }
    }

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
        super.channelRegistered(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stop();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        reading = true;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (reading) {
            lastReadNanos = clock.getAsLong();
            reading = false;
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        lastFlushNanos = clock.getAsLong();
        ctx.flush();
    }

    private void start(ChannelHandlerContext context) {
        if (ctx != null) {
            return;
        }
        ctx = context;
        final long now = clock.getAsLong();
        lastFlushNanos = now;
        lastReadNanos = now;
        resumedNanos = now - keepAliveNanos;
        scheduleWriter(now, keepAliveNanos);
        scheduleReader(now, idleTimeoutNanos);
    }

    private void scheduleWriter(long now, long delayNanos) {
        writerDueNanos = now + delayNanos;
        writerCheck = ctx.executor().schedule(checkWriter, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void scheduleReader(long now, long delayNanos) {
        readerDueNanos = now + delayNanos;
        readerCheck = ctx.executor().schedule(checkReader, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Notes whether a check ran so late that the event loop must have stalled. */
    private void noteLateness(long now, long dueNanos) {
        if (now - dueNanos > lateNanos) {
            resumedNanos = now;
        }
    }

    private void stop() {
        if (ctx != null) {
            writerCheck.cancel(false);
            readerCheck.cancel(false);
        }
    }

    /** Runs when the keep-alive interval after the last flush may have passed; reschedules itself. */
    private void checkWriter() {
        if (!ctx.channel().isOpen()) {
            return;
        }
        final long now = clock.getAsLong();
        noteLateness(now, writerDueNanos);
        final long quiet = now - lastFlushNanos;
        if (quiet >= keepAliveNanos) {
            // One event per quiet stretch: the next one starts now (the keep-alive it sends flushes anyway).
            lastFlushNanos = now;
            scheduleWriter(now, keepAliveNanos);
            ctx.fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
        } else {
            scheduleWriter(now, keepAliveNanos - quiet);
        }
    }

    /** Runs when the idle timeout after the last read may have passed; reschedules itself. */
    private void checkReader() {
        if (!ctx.channel().isOpen()) {
            return;
        }
        final long now = clock.getAsLong();
        noteLateness(now, readerDueNanos);
        // Within a keep-alive interval of the end of a stall, what arrived during it may not have been read yet.
        final boolean afterStall = now - resumedNanos < keepAliveNanos;
        final long quiet = reading ? 0 : now - lastReadNanos;
        if (quiet < idleTimeoutNanos) {
            scheduleReader(now, idleTimeoutNanos - quiet);
        } else if (afterStall) {
            // Read what waits in the socket first; a healthy peer also sends within a keep-alive interval.
            scheduleReader(now, keepAliveNanos);
        } else {
            // One event per quiet stretch (the stage closes the connection, which cancels the next check).
            lastReadNanos = now;
            scheduleReader(now, idleTimeoutNanos);
            ctx.fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        }
    }
}
