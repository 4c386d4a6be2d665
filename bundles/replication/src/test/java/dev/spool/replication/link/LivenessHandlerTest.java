package dev.spool.replication.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.replication.LeakDetection;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The liveness handler reports quiet stretches in each direction, on a clock the test moves. */
@ExtendWith(LeakDetection.class)
class LivenessHandlerTest {

    private static final long KEEP_ALIVE_MILLIS = 100;
    private static final long IDLE_TIMEOUT_MILLIS = 1000;

    /** The events that left the handler, in order. */
    private final List<IdleStateEvent> events = new ArrayList<>();
    /** For each write that passed the handler, whether its promise was still void. */
    private final List<Boolean> voidPromises = new ArrayList<>();

    private long nowNanos;
    private EmbeddedChannel channel;

    private EmbeddedChannel channel() throws Exception {
        channel = new EmbeddedChannel(false, false);
        channel.freezeTime();
        channel.pipeline().addLast(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                voidPromises.add(promise.isVoid());
                ctx.write(msg, promise);
            }
        });
        channel.pipeline()
                .addLast(new LivenessHandler(
                        TimeUnit.MILLISECONDS.toNanos(KEEP_ALIVE_MILLIS),
                        TimeUnit.MILLISECONDS.toNanos(IDLE_TIMEOUT_MILLIS),
                        () -> nowNanos));
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                events.add((IdleStateEvent) event);
            }
        });
        channel.register();
        return channel;
    }

    /**
     * Moves the handler's clock and the event loop's together as a running event loop sees time pass: in steps of a
     * millisecond, running what became due at each.
     */
    private void advanceTo(long millis) {
        while (TimeUnit.NANOSECONDS.toMillis(nowNanos) < millis) {
            moveTo(TimeUnit.NANOSECONDS.toMillis(nowNanos) + 1);
        }
    }

    /** Moves both clocks at once, as a process paused (SIGSTOP) until then sees it, running what became due. */
    private void pauseUntil(long millis) {
        moveTo(millis);
    }

    private void moveTo(long millis) {
        final long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
        channel.advanceTimeBy(nanos - nowNanos, TimeUnit.NANOSECONDS);
        nowNanos = nanos;
        channel.runScheduledPendingTasks();
    }

    private long count(IdleStateEvent kind) {
        return events.stream().filter(kind::equals).count();
    }

    @Test
    @DisplayName("writer-idle fires once per keep-alive interval without a flush; a flush postpones it")
    void writerIdleAfterKeepAliveWithoutFlush() throws Exception {
        channel();
        advanceTo(KEEP_ALIVE_MILLIS - 1);
        assertEquals(0, count(IdleStateEvent.WRITER_IDLE_STATE_EVENT));
        advanceTo(KEEP_ALIVE_MILLIS);
        assertEquals(1, count(IdleStateEvent.WRITER_IDLE_STATE_EVENT));
        advanceTo(150);
        channel.writeAndFlush("frame");
        advanceTo(249);
        assertEquals(1, count(IdleStateEvent.WRITER_IDLE_STATE_EVENT), "the flush at 150 ms counts as sending");
        advanceTo(250);
        assertEquals(2, count(IdleStateEvent.WRITER_IDLE_STATE_EVENT));
        advanceTo(350);
        assertEquals(3, count(IdleStateEvent.WRITER_IDLE_STATE_EVENT));
    }

    @Test
    @DisplayName("reader-idle fires after the idle timeout without a read; a read postpones it")
    void readerIdleAfterTimeoutWithoutRead() throws Exception {
        channel();
        advanceTo(IDLE_TIMEOUT_MILLIS - 1);
        channel.writeInbound("frame");
        advanceTo(IDLE_TIMEOUT_MILLIS);
        assertEquals(0, count(IdleStateEvent.READER_IDLE_STATE_EVENT), "the read at 999 ms counts as receiving");
        advanceTo(2 * IDLE_TIMEOUT_MILLIS - 2);
        assertEquals(0, count(IdleStateEvent.READER_IDLE_STATE_EVENT));
        advanceTo(2 * IDLE_TIMEOUT_MILLIS - 1);
        assertEquals(1, count(IdleStateEvent.READER_IDLE_STATE_EVENT));
    }

    @Test
    @DisplayName("after a pause of the event loop past the idle timeout, what the peer sent meanwhile is read before"
            + " the connection is judged: a read right after the pause keeps it")
    void pauseReadsWaitingBytesFirst() throws Exception {
        channel();
        // The process stops (SIGSTOP) at 50 ms and resumes at 15 s: every check is overdue at once.
        advanceTo(50);
        pauseUntil(15_000);
        assertEquals(0, count(IdleStateEvent.READER_IDLE_STATE_EVENT), "judged before reading what waits");
        channel.writeInbound("frame that waited in the socket");
        advanceTo(15_000 + IDLE_TIMEOUT_MILLIS - 1);
        assertEquals(0, count(IdleStateEvent.READER_IDLE_STATE_EVENT), "the read after the pause counts");
        advanceTo(15_000 + IDLE_TIMEOUT_MILLIS);
        assertEquals(1, count(IdleStateEvent.READER_IDLE_STATE_EVENT), "then silence counts again");
    }

    @Test
    @DisplayName("after a pause past the idle timeout, a peer that sent nothing meanwhile is judged one keep-alive"
            + " interval later")
    void pauseWithoutWaitingBytesJudgedAfterGrace() throws Exception {
        channel();
        advanceTo(50);
        pauseUntil(15_000);
        advanceTo(15_000 + KEEP_ALIVE_MILLIS - 1);
        assertEquals(0, count(IdleStateEvent.READER_IDLE_STATE_EVENT));
        advanceTo(15_000 + KEEP_ALIVE_MILLIS);
        assertEquals(1, count(IdleStateEvent.READER_IDLE_STATE_EVENT));
    }

    @Test
    @DisplayName("a pause shorter than a keep-alive interval is no excuse: a deadline observed slightly late fires")
    void shortDelayStillFires() throws Exception {
        channel();
        advanceTo(IDLE_TIMEOUT_MILLIS - 10);
        pauseUntil(IDLE_TIMEOUT_MILLIS + 20);
        assertEquals(1, count(IdleStateEvent.READER_IDLE_STATE_EVENT));
    }

    @Test
    @DisplayName("a write keeps its void promise: no promise is made per frame")
    void writesKeepTheirVoidPromise() throws Exception {
        channel();
        channel.write("one", channel.voidPromise());
        channel.writeAndFlush("two", channel.voidPromise());
        assertEquals(List.of(true, true), voidPromises);
        assertTrue(channel.isOpen());
    }

    @Test
    @DisplayName("nothing fires once the connection closed")
    void nothingAfterClose() throws Exception {
        channel();
        channel.close();
        advanceTo(10 * IDLE_TIMEOUT_MILLIS);
        assertEquals(List.of(), events);
    }
}
