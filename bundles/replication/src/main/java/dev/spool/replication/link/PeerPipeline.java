package dev.spool.replication.link;

import dev.spool.replication.wire.WireLimits;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;

/**
 * Builds the pipeline of one peer connection: TLS if the links are encrypted, the idle detector (which reports a
 * connection that sent nothing for the keep-alive interval or received nothing for the idle timeout), the frame
 * splitter, then the handshake stage.
 */
public final class PeerPipeline {

    /** The name of the idle detector in the pipeline. */
    static final String IDLE = "idle";

    private PeerPipeline() {}

    /**
     * Installs the handlers of a new plaintext connection.
     *
     * @param channel the connection
     * @param limits the frame bounds
     * @param keepAliveInterval how long the connection may send nothing before a keep-alive goes out
     * @param idleTimeout how long the connection may receive nothing before it is closed as dead
     * @param handshake the connection's handshake stage (initiating or accepting)
     */
    public static void install(
            Channel channel,
            WireLimits limits,
            Duration keepAliveInterval,
            Duration idleTimeout,
            HandshakeHandler handshake) {
        channel.pipeline()
                .addLast(IDLE, new LivenessHandler(keepAliveInterval.toNanos(), idleTimeout.toNanos()))
                .addLast("split", new FrameSplitter(limits))
                .addLast("handshake", handshake);
    }

    /**
     * Installs the handlers of a new connection over TLS: the TLS stage first, so every frame, the handshake
     * included, travels encrypted, and the handshake stage checks the peer's certificate (see {@link PeerIdentity}).
     *
     * @param channel the connection
     * @param tls the connection's TLS stage (see {@link PeerTls#handler})
     * @param limits the frame bounds
     * @param keepAliveInterval how long the connection may send nothing before a keep-alive goes out
     * @param idleTimeout how long the connection may receive nothing before it is closed as dead
     * @param handshake the connection's handshake stage (initiating or accepting)
     */
    public static void install(
            Channel channel,
            SslHandler tls,
            WireLimits limits,
            Duration keepAliveInterval,
            Duration idleTimeout,
            HandshakeHandler handshake) {
        channel.pipeline().addLast("tls", tls);
        install(channel, limits, keepAliveInterval, idleTimeout, handshake);
    }
}
