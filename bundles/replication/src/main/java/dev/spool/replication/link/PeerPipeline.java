package dev.spool.replication.link;

import dev.spool.replication.wire.WireLimits;
import io.netty.channel.Channel;

/** Builds the pipeline of one peer connection: the frame splitter, then the handshake stage. */
public final class PeerPipeline {

    private PeerPipeline() {
    }

    /**
     * Installs the handlers of a new connection.
     *
     * @param channel the connection
     * @param limits the frame bounds
     * @param handshake the connection's handshake stage (initiating or accepting)
     */
    public static void install(Channel channel, WireLimits limits, HandshakeHandler handshake) {
        channel.pipeline().addLast("split", new FrameSplitter(limits)).addLast("handshake", handshake);
    }
}
