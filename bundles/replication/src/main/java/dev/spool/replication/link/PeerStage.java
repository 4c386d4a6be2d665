package dev.spool.replication.link;

import dev.spool.replication.wire.FrameEncoder;
import dev.spool.replication.wire.Goodbye;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.lang.System.Logger.Level;

/**
 * What the two stages of a peer connection (the handshake, then group frames) share: a connection that breaks the
 * protocol is closed after a Goodbye naming the reason, the reason is logged, and nothing more of what it sends is
 * looked at. A connection that received nothing for the idle timeout is taken for dead and closed, the reason logged
 * (the dialing member then reconnects).
 *
 * <p>Threads: the connection's event loop.
 */
abstract class PeerStage extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger(PeerStage.class.getName());

    private final FrameEncoder encoder;
    private boolean closing;

    PeerStage(FrameEncoder encoder) {
        this.encoder = encoder;
    }

    /**
     * Names the other end for the log.
     *
     * @param ctx the connection
     * @return the peer's member id, or its address before the handshake named it
     */
    abstract String peerName(ChannelHandlerContext ctx);

    /**
     * Handles one whole frame, which the caller releases afterwards.
     *
     * @param ctx the connection
     * @param frame the frame, from its length prefix to its end
     */
    abstract void frame(ChannelHandlerContext ctx, ByteBuf frame);

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        final ByteBuf frame = (ByteBuf) msg;
        try {
            if (!closing) {
                frame(ctx, frame);
            }
        } finally {
            ReferenceCountUtil.release(frame);
        }
    }

    /**
     * Logs why this member ends the connection, then closes it with a Goodbye.
     *
     * @param ctx the connection
     * @param reason the reason
     * @param detail what exactly was wrong
     */
    final void fail(ChannelHandlerContext ctx, Goodbye.Reason reason, String detail) {
        if (!closing) {
            LOG.log(Level.WARNING, "closing the connection to {0} ({1}): {2}", peerName(ctx), reason, detail);
            sendAndClose(ctx, Goodbye.because(reason, detail));
        }
    }

    /**
     * Sends a Goodbye (whose reason is already logged), then closes; frames that still arrive are dropped unread.
     *
     * @param ctx the connection
     * @param goodbye the reason for the peer
     */
    final void sendAndClose(ChannelHandlerContext ctx, Goodbye goodbye) {
        if (closing) {
            return;
        }
        closing = true;
        ctx.writeAndFlush(encoder.encode(ctx.alloc(), goodbye)).addListener(ChannelFutureListener.CLOSE);
    }

    /** Stops reading the connection's frames, for a close that needs no Goodbye (the peer said it). */
    final void closeQuietly(ChannelHandlerContext ctx) {
        closing = true;
        ctx.close();
    }

    /**
     * Called when this member sent nothing on the connection for the keep-alive interval. Before the handshake
     * nothing may be sent but the handshake itself, so this does nothing; the frame stage sends a keep-alive.
     *
     * @param ctx the connection
     */
    void sendIdle(ChannelHandlerContext ctx) {
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (!(event instanceof IdleStateEvent)) {
            ctx.fireUserEventTriggered(event);
        } else if (((IdleStateEvent) event).state() == IdleState.WRITER_IDLE) {
            sendIdle(ctx);
        } else if (((IdleStateEvent) event).state() == IdleState.READER_IDLE && !closing) {
            final IdleStateHandler idle = (IdleStateHandler) ctx.pipeline().get(PeerPipeline.IDLE);
            LOG.log(Level.WARNING, "closing the connection to {0}: nothing received for {1} ms, the peer is taken"
                + " for dead", peerName(ctx), String.valueOf(idle.getReaderIdleTimeInMillis()));
            closeQuietly(ctx);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException) {
            // The frame splitter refused a length: an oversized or impossible frame.
            fail(ctx, Goodbye.Reason.MALFORMED_FRAME, String.valueOf(cause.getMessage()));
        } else if (!closing) {
            LOG.log(Level.INFO, "connection to {0} failed: {1}", peerName(ctx), cause.toString());
            closeQuietly(ctx);
        }
    }
}
