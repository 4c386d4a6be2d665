package dev.spool.replication.link;

import dev.spool.replication.wire.WireLimits;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;

/** Builds the pipeline of one peer connection: TLS if the links are encrypted, the frame splitter, the handshake. */
public final class PeerPipeline {

    private PeerPipeline() {
    }

    /**
     * Installs the handlers of a new plaintext connection.
     *
     * @param channel the connection
     * @param limits the frame bounds
     * @param handshake the connection's handshake stage (initiating or accepting)
     */
    public static void install(Channel channel, WireLimits limits, HandshakeHandler handshake) {
        channel.pipeline().addLast("split", new FrameSplitter(limits)).addLast("handshake", handshake);
    }

    /**
     * Installs the handlers of a new connection over TLS: the TLS stage first, so every frame, the handshake
     * included, travels encrypted, and the handshake stage checks the peer's certificate (see {@link PeerIdentity}).
     *
     * @param channel the connection
     * @param tls the connection's TLS stage (see {@link PeerTls#handler})
     * @param limits the frame bounds
     * @param handshake the connection's handshake stage (initiating or accepting)
     */
    public static void install(Channel channel, SslHandler tls, WireLimits limits, HandshakeHandler handshake) {
        channel.pipeline().addLast("tls", tls);
        install(channel, limits, handshake);
    }
}
