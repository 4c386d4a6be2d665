package dev.spool.replication.link;

import dev.spool.replication.wire.FrameEncoder;
import dev.spool.replication.wire.Goodbye;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.lang.System.Logger.Level;
import javax.net.ssl.SSLException;

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

    /**
     * Logs why this member gives up on the connection, then closes it without a Goodbye: the peer does not take
     * part (silent, or too slow to finish its handshake), so there is nobody to tell.
     *
     * @param ctx the connection
     * @param why what the peer failed to do
     */
    final void abandon(ChannelHandlerContext ctx, String why) {
        if (!closing) {
            LOG.log(Level.WARNING, "closing the connection to {0}: {1}", peerName(ctx), why);
            closeQuietly(ctx);
        }
    }

    /** Stops reading the connection's frames, for a close that needs no Goodbye (the peer said it). */
    final void closeQuietly(ChannelHandlerContext ctx) {
        closing = true;
        ctx.close();
    }

    /**
     * Logs the peer's reason for ending the connection, then closes it without an answer.
     *
     * @param ctx the connection
     * @param goodbye the peer's Goodbye
     */
    final void peerLeft(ChannelHandlerContext ctx, Goodbye goodbye) {
        LOG.log(
                goodbye.reason() == Goodbye.Reason.SHUTDOWN ? Level.INFO : Level.WARNING,
                "{0} closed the connection ({1}): {2}",
                peerName(ctx),
                goodbye.reason(),
                goodbye.detail());
        closeQuietly(ctx);
    }

    /**
     * Called when this member sent nothing on the connection for the keep-alive interval. Before the handshake
     * nothing may be sent but the handshake itself, so this does nothing; the frame stage sends a keep-alive.
     *
     * @param ctx the connection
     */
    void sendIdle(ChannelHandlerContext ctx) {}

    /**
     * A failed TLS handshake (refused certificate, timeout, a peer that does not speak TLS) closes the connection;
     * so does a connection that received nothing for the idle timeout; one that sent nothing for the keep-alive
     * interval sends a keep-alive.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            idle(ctx, ((IdleStateEvent) event).state());
            return;
        }
        if (event instanceof SslHandshakeCompletionEvent && !((SslHandshakeCompletionEvent) event).isSuccess()) {
            tlsFailed(ctx, ((SslHandshakeCompletionEvent) event).cause());
        }
        ctx.fireUserEventTriggered(event);
    }

    private void idle(ChannelHandlerContext ctx, IdleState state) {
        if (state == IdleState.WRITER_IDLE) {
            sendIdle(ctx);
        } else if (state == IdleState.READER_IDLE) {
            final LivenessHandler liveness = (LivenessHandler) ctx.pipeline().get(PeerPipeline.IDLE);
            abandon(ctx, "nothing received for " + liveness.idleTimeoutMillis() + " ms, the peer is taken for dead");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
            // The TLS stage could not decrypt (a refusal by the peer's TLS, or bytes that are not TLS); usually the
            // failed handshake was reported just before and the connection is closing already.
            tlsFailed(ctx, cause.getCause());
        } else if (cause instanceof DecoderException) {
            // The frame splitter refused a length: an oversized or impossible frame.
            fail(ctx, Goodbye.Reason.MALFORMED_FRAME, String.valueOf(cause.getMessage()));
        } else if (!closing) {
            LOG.log(Level.INFO, "connection to {0} failed: {1}", peerName(ctx), cause.toString());
            closeQuietly(ctx);
        }
    }

    /** No Goodbye: a TLS stage that failed cannot encrypt one. */
    private void tlsFailed(ChannelHandlerContext ctx, Throwable cause) {
        if (!closing) {
            LOG.log(Level.WARNING, "TLS with {0} failed: {1}", peerName(ctx), String.valueOf(cause));
            closeQuietly(ctx);
        }
    }
}
