package dev.spool.replication.link;

import dev.spool.replication.wire.Credit;
import dev.spool.replication.wire.Frame;
import dev.spool.replication.wire.FrameDecoder;
import dev.spool.replication.wire.FrameEncoder;
import dev.spool.replication.wire.Goodbye;
import dev.spool.replication.wire.GroupMessage;
import dev.spool.replication.wire.KeepAlive;
import dev.spool.replication.wire.WireFormatException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * The second stage of a peer connection: decodes each frame and hands group messages and credit grants on. A
 * malformed frame closes the connection (with a {@code MALFORMED_FRAME} Goodbye and a logged reason) and nothing of
 * it is delivered; a handshake frame after the handshake, or a frame the member refuses (a bulk frame beyond the
 * peer's credit), is a protocol violation; a Goodbye closes the connection. A keep-alive needs no handling: its
 * arrival is what the idle detector before this stage counts. When this member has sent nothing for the keep-alive
 * interval, this stage sends a keep-alive.
 *
 * <p>Threads: the connection's event loop.
 */
final class FrameHandler extends PeerStage {

    private final String peer;
    private final String localMember;
    private final FrameEncoder encoder;
    private final FrameDecoder decoder;
    private final LinkEvents events;

    FrameHandler(String peer, String localMember, FrameEncoder encoder, FrameDecoder decoder, LinkEvents events) {
        super(encoder);
        this.peer = peer;
        this.localMember = localMember;
        this.encoder = encoder;
        this.decoder = decoder;
        this.events = events;
    }

    @Override
    void frame(ChannelHandlerContext ctx, ByteBuf frame) {
        final int frameBytes = frame.readableBytes();
        final Frame received;
        try {
            received = decoder.decode(frame, peer, localMember);
        } catch (WireFormatException e) {
            fail(ctx, Goodbye.Reason.MALFORMED_FRAME, e.getMessage());
            return;
        }
        try {
            switch (received.type()) {
                case GOODBYE:
                    peerLeft(ctx, (Goodbye) received);
                    break;
                case HANDSHAKE:
                case HANDSHAKE_ACCEPTED:
                    fail(
                            ctx,
                            Goodbye.Reason.PROTOCOL_VIOLATION,
                            "a " + received.type().displayName() + " frame after the handshake");
                    break;
                case KEEP_ALIVE:
                    break;
                case CREDIT:
                    events.credited(peer, ctx.channel(), (Credit) received);
                    break;
                default:
                    events.received(peer, ctx.channel(), (GroupMessage) received, frameBytes);
            }
        } catch (ProtocolViolationException e) {
            fail(ctx, Goodbye.Reason.PROTOCOL_VIOLATION, e.getMessage());
        }
    }

    @Override
    void sendIdle(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(encoder.encode(ctx.alloc(), KeepAlive.INSTANCE), ctx.voidPromise());
    }

    @Override
    String peerName(ChannelHandlerContext ctx) {
        return "member " + peer + " at " + ctx.channel().remoteAddress();
    }
}
