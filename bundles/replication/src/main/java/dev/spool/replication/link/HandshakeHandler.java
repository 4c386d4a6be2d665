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

/**
 * The first stage of a peer connection: runs the handshake as the initiator (it sends the Handshake when the
 * connection opens) or the acceptor (it answers one). When both members agree it puts a {@link FrameHandler} for
 * the named peer in its place and reports the connection; a refusal, by either member, closes the connection with
 * the reason logged (and sent, if this member refused).
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

    private HandshakeHandler(HandshakeInitiator initiator, HandshakeAcceptor acceptor, String localMember,
                             WireLimits limits, LinkEvents events) {
        this(initiator, acceptor, localMember, new FrameEncoder(limits), new FrameDecoder(limits), events);
    }

    private HandshakeHandler(HandshakeInitiator initiator, HandshakeAcceptor acceptor, String localMember,
                             FrameEncoder encoder, FrameDecoder decoder, LinkEvents events) {
        super(encoder);
        this.initiator = initiator;
        this.acceptor = acceptor;
        this.localMember = localMember;
        this.encoder = encoder;
        this.decoder = decoder;
        this.events = events;
    }

    /**
     * Creates the handshake stage of a connection this member opened.
     *
     * @param initiator the handshake to send and the check of the answer
     * @param localMember this member's id
     * @param limits the frame bounds
     * @param events where the established connection and its messages go
     * @return the stage
     */
    public static HandshakeHandler initiating(HandshakeInitiator initiator, String localMember, WireLimits limits,
                                              LinkEvents events) {
        return new HandshakeHandler(initiator, null, localMember, limits, events);
    }

    /**
     * Creates the handshake stage of a connection a peer opened.
     *
     * @param acceptor the decision on the peer's handshake
     * @param localMember this member's id
     * @param limits the frame bounds
     * @param events where the established connection and its messages go
     * @return the stage
     */
    public static HandshakeHandler accepting(HandshakeAcceptor acceptor, String localMember, WireLimits limits,
                                             LinkEvents events) {
        return new HandshakeHandler(null, acceptor, localMember, limits, events);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (initiator != null) {
            ctx.writeAndFlush(encoder.encode(ctx.alloc(), initiator.hello()));
        }
        ctx.fireChannelActive();
    }

    @Override
    void frame(ChannelHandlerContext ctx, ByteBuf frame) {
        final Frame received;
        try {
            received = decoder.decode(frame, initiator != null ? initiator.hello().acceptor() : UNIDENTIFIED,
                localMember);
        } catch (WireFormatException e) {
            fail(ctx, Goodbye.Reason.MALFORMED_FRAME, e.getMessage());
            return;
        }
        final HandshakeResult result;
        if (initiator != null) {
            result = initiator.complete(received);
        } else if (received instanceof Handshake) {
            result = acceptor.accept((Handshake) received);
        } else {
            fail(ctx, Goodbye.Reason.PROTOCOL_VIOLATION, "the first frame must be a Handshake, not a "
                + received.type().displayName());
            return;
        }
        if (result instanceof HandshakeResult.Accepted) {
            final HandshakeResult.Accepted accepted = (HandshakeResult.Accepted) result;
            if (acceptor != null) {
                ctx.writeAndFlush(encoder.encode(ctx.alloc(), accepted.reply()));
            }
            ctx.pipeline().replace(this, "frames", new FrameHandler(accepted.peer(), localMember, encoder, decoder,
                events));
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
        return initiator != null ? initiator.hello().acceptor() : "unidentified peer at " + ctx.channel().remoteAddress();
    }
}
