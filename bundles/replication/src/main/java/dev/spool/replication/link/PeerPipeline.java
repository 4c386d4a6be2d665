package dev.spool.replication.link;

import dev.spool.replication.wire.WireLimits;
import io.netty.channel.Channel;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Builds the pipeline of one peer connection: the idle detector (which reports a connection that sent nothing for
 * the keep-alive interval or received nothing for the idle timeout), the frame splitter, then the handshake stage.
 */
public final class PeerPipeline {

    /** The name of the idle detector in the pipeline. */
    static final String IDLE = "idle";

    private PeerPipeline() {
    }

    /**
     * Installs the handlers of a new connection.
     *
     * @param channel the connection
     * @param limits the frame bounds
     * @param keepAliveInterval how long the connection may send nothing before a keep-alive goes out
     * @param idleTimeout how long the connection may receive nothing before it is closed as dead
     * @param handshake the connection's handshake stage (initiating or accepting)
     */
    public static void install(Channel channel, WireLimits limits, Duration keepAliveInterval, Duration idleTimeout,
                               HandshakeHandler handshake) {
        channel.pipeline()
            .addLast(IDLE, new IdleStateHandler(idleTimeout.toNanos(), keepAliveInterval.toNanos(), 0,
                TimeUnit.NANOSECONDS))
            .addLast("split", new FrameSplitter(limits))
            .addLast("handshake", handshake);
    }
}
