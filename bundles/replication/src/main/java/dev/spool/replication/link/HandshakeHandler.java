package dev.spool.replication.link;

import dev.spool.replication.wire.Frame;
import dev.spool.replication.wire.FrameDecoder;
import dev.spool.replication.wire.FrameEncoder;
import dev.spool.replication.wire.Goodbye;
import dev.spool.replication.wire.Handshake;
import dev.spool.replication.wire.HandshakeAcceptor;
import dev.spool.replication.wire.HandshakeInitiator;
import dev.spool.replication.wire.HandshakeResult;
import dev.spool.replication.wire.WireFormatException;
import dev.spool.replication.wire.WireLimits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The first stage of a peer connection: runs the handshake as the initiator (it sends the Handshake when the
 * connection opens) or the acceptor (it answers one). When both members agree it puts a {@link FrameHandler} for
 * the named peer in its place and reports the connection; a refusal, by either member, closes the connection with
 * the reason logged (and sent, if this member refused).
 *
 * <p>Over TLS (a {@link SslHandler} earlier in the pipeline) the initiator waits for the TLS handshake, checks that
 * the acceptor's certificate names the member it dialed and only then sends its Handshake; the acceptor checks that
 * the initiator's certificate names the member its Handshake claims before it looks at anything else. A mismatch
 * closes the connection with an {@code IDENTITY} Goodbye and a logged reason (see {@link PeerIdentity}).
 *
 * <p>The handshake (TLS included) must complete within a deadline from the moment the connection is up; a peer that
 * is slower, e.g. one that trickles its Handshake a byte at a time, never quiet long enough for the idle timeout, is
 * closed without a Goodbye and the reason logged with its address, so it cannot hold a connection for long.
 *
 * <p>Threads: the connection's event loop.
 */
public final class HandshakeHandler extends PeerStage {

    /** The sender a group frame would be decoded with before the handshake named the peer; it is refused anyway. */
    private static final String UNIDENTIFIED = "unidentified";

    private final HandshakeInitiator initiator;
    private final HandshakeAcceptor acceptor;
    private final String localMember;
    private final FrameEncoder encoder;
    private final FrameDecoder decoder;
    private final LinkEvents events;
    private final long deadlineNanos;
    /** Closes the connection if the handshake is not done in time; set once the connection is up. */
    private ScheduledFuture<?> deadline;

    private HandshakeHandler(
            HandshakeInitiator initiator,
            HandshakeAcceptor acceptor,
            String localMember,
            WireLimits limits,
            Duration deadline,
            LinkEvents events) {
        this(initiator, acceptor, localMember, new FrameEncoder(limits), new FrameDecoder(limits), deadline, events);
    }

    private HandshakeHandler(
            HandshakeInitiator initiator,
            HandshakeAcceptor acceptor,
            String localMember,
            FrameEncoder encoder,
            FrameDecoder decoder,
            Duration deadline,
            LinkEvents events) {
        super(encoder);
        this.initiator = initiator;
        this.acceptor = acceptor;
        this.localMember = localMember;
        this.encoder = encoder;
        this.decoder = decoder;
        this.deadlineNanos = deadline.toNanos();
        this.events = events;
    }

    /**
     * Creates the handshake stage of a connection this member opened.
     *
     * @param initiator the handshake to send and the check of the answer
     * @param localMember this member's id
     * @param limits the frame bounds
     * @param deadline how long after the connection is up the handshake, TLS included, may take
     * @param events where the established connection and its messages go
     * @return the stage
     */
    public static HandshakeHandler initiating(
            HandshakeInitiator initiator, String localMember, WireLimits limits, Duration deadline, LinkEvents events) {
        return new HandshakeHandler(initiator, null, localMember, limits, deadline, events);
    }

    /**
     * Creates the handshake stage of a connection a peer opened.
     *
     * @param acceptor the decision on the peer's handshake
     * @param localMember this member's id
     * @param limits the frame bounds
     * @param deadline how long after the connection is up the handshake, TLS included, may take
     * @param events where the established connection and its messages go
     * @return the stage
     */
    public static HandshakeHandler accepting(
            HandshakeAcceptor acceptor, String localMember, WireLimits limits, Duration deadline, LinkEvents events) {
        return new HandshakeHandler(null, acceptor, localMember, limits, deadline, events);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            startDeadline(ctx);
        }
    }

    /** Replaced by the frame stage, or the connection closed: the deadline no longer applies. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    private void startDeadline(ChannelHandlerContext ctx) {
        if (deadline == null) {
            deadline = ctx.executor()
                    .schedule(
                            () -> abandon(
                                    ctx, "no handshake within " + TimeUnit.NANOSECONDS.toMillis(deadlineNanos) + " ms"),
                            deadlineNanos,
                            TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        startDeadline(ctx);
        // Over TLS the Handshake waits until TLS is up and the acceptor's certificate names the member dialed.
        if (initiator != null && tls(ctx) == null) {
            ctx.writeAndFlush(encoder.encode(ctx.alloc(), initiator.hello()));
        }
        ctx.fireChannelActive();
    }

    /** TLS is up: the initiator checks whom it reached before it says who it is. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (initiator != null
                && event instanceof SslHandshakeCompletionEvent
                && ((SslHandshakeCompletionEvent) event).isSuccess()) {
            final String dialed = initiator.hello().acceptor();
            final PeerIdentity identity = identity(ctx);
            if (!identity.names(dialed)) {
                fail(ctx, Goodbye.Reason.IDENTITY, "its certificate names " + identity + ", not " + dialed);
            } else {
                ctx.writeAndFlush(encoder.encode(ctx.alloc(), initiator.hello()));
            }
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    void frame(ChannelHandlerContext ctx, ByteBuf frame) {
        final Frame received;
        try {
            received =
                    decoder.decode(frame, initiator != null ? initiator.hello().acceptor() : UNIDENTIFIED, localMember);
        } catch (WireFormatException e) {
            fail(ctx, Goodbye.Reason.MALFORMED_FRAME, e.getMessage());
            return;
        }
        final HandshakeResult result;
        if (initiator != null) {
            result = initiator.complete(received);
        } else if (received instanceof Handshake) {
            final String claimed = ((Handshake) received).initiator();
            final PeerIdentity identity = identity(ctx);
            if (identity != null && !identity.names(claimed)) {
                fail(
                        ctx,
                        Goodbye.Reason.IDENTITY,
                        "claims to be member " + claimed + ", but its certificate names " + identity);
                return;
            }
            result = acceptor.accept((Handshake) received);
        } else if (received instanceof Goodbye) {
            // The initiator gave up before its Handshake, e.g. because this member's certificate did not satisfy it.
            peerLeft(ctx, (Goodbye) received);
            return;
        } else {
            fail(
                    ctx,
                    Goodbye.Reason.PROTOCOL_VIOLATION,
                    "the first frame must be a Handshake, not a "
                            + received.type().displayName());
            return;
        }
        if (result instanceof HandshakeResult.Accepted) {
            final HandshakeResult.Accepted accepted = (HandshakeResult.Accepted) result;
            if (acceptor != null) {
                ctx.writeAndFlush(encoder.encode(ctx.alloc(), accepted.reply()));
            }
            ctx.pipeline()
                    .replace(this, "frames", new FrameHandler(accepted.peer(), localMember, encoder, decoder, events));
            events.established(accepted.peer(), ctx.channel());
        } else {
            final HandshakeResult.Refused refused = (HandshakeResult.Refused) result;
            if (refused.byPeer()) {
                closeQuietly(ctx);
            } else {
                sendAndClose(ctx, refused.goodbye());
            }
        }
    }

    @Override
    String peerName(ChannelHandlerContext ctx) {
        return (initiator != null ? "member " + initiator.hello().acceptor() : "unidentified peer") + " at "
                + ctx.channel().remoteAddress();
    }

    private static SslHandler tls(ChannelHandlerContext ctx) {
        return ctx.pipeline().get(SslHandler.class);
    }

    /** The names in the peer's certificate, or {@code null} for a plaintext connection. */
    private static PeerIdentity identity(ChannelHandlerContext ctx) {
        final SslHandler tls = tls(ctx);
        return tls == null ? null : PeerIdentity.of(tls.engine().getSession());
    }
}
