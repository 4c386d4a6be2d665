package dev.spool.replication.link;

import dev.spool.replication.wire.Frame;
import dev.spool.replication.wire.FrameDecoder;
import dev.spool.replication.wire.FrameEncoder;
import dev.spool.replication.wire.Goodbye;
import dev.spool.replication.wire.GroupMessage;
import dev.spool.replication.wire.WireFormatException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * The second stage of a peer connection: decodes each frame and hands group messages on. A malformed frame
 * closes the connection (with a {@code MALFORMED_FRAME} Goodbye and a logged reason) and nothing of it is
 * delivered; a handshake frame after the handshake is a protocol violation; a Goodbye closes the connection.
 * Credit frames are accepted and not acted on: this version bounds what a leader sends by the Raft in-flight window
 * and by dropping what a connection cannot take (see docs/wire-protocol.md).
 *
 * <p>Threads: the connection's event loop.
 */
final class FrameHandler extends PeerStage {

    private final String peer;
    private final String localMember;
    private final FrameDecoder decoder;
    private final LinkEvents events;

    FrameHandler(String peer, String localMember, FrameEncoder encoder, FrameDecoder decoder, LinkEvents events) {
        super(encoder);
        this.peer = peer;
        this.localMember = localMember;
        this.decoder = decoder;
        this.events = events;
    }

    @Override
    void frame(ChannelHandlerContext ctx, ByteBuf frame) {
        final Frame received;
        try {
            received = decoder.decode(frame, peer, localMember);
        } catch (WireFormatException e) {
            fail(ctx, Goodbye.Reason.MALFORMED_FRAME, e.getMessage());
            return;
        }
        switch (received.type()) {
            case GOODBYE:
                peerLeft(ctx, (Goodbye) received);
                break;
            case HANDSHAKE:
            case HANDSHAKE_ACCEPTED:
                fail(ctx, Goodbye.Reason.PROTOCOL_VIOLATION, "a " + received.type().displayName()
                    + " frame after the handshake");
                break;
            case CREDIT:
                break;
            default:
                events.received(peer, (GroupMessage) received);
        }
    }

    @Override
    String peerName(ChannelHandlerContext ctx) {
        return "member " + peer + " at " + ctx.channel().remoteAddress();
    }
}
