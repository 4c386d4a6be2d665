package dev.spool.replication.link;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Mutual TLS for peer connections over the JDK's TLS provider: both sides present their certificate and verify the
 * other's against the trust store (the accepting side requires a client certificate), TLS 1.3 only. Host names are
 * not verified: members are identified by the member id their certificate names (see {@link PeerIdentity}), which
 * the handshake stage checks once TLS is up.
 *
 * <p>Thread-safe: the contexts are built once and shared by every connection.
 */
public final class PeerTls {

    /** Every member runs Java 17 or later, which speaks TLS 1.3; nothing older needs to be accepted. */
    private static final String PROTOCOL = "TLSv1.3";

    private final SslContext accepting;
    private final SslContext initiating;
    private final long handshakeTimeoutMillis;

    /**
     * Builds the TLS contexts.
     *
     * @param keys this member's key and certificate chain
     * @param trust the certificates (or issuers) of the peers this member accepts
     * @param handshakeTimeout how long a TLS handshake may take before the connection is closed
     * @throws IllegalStateException if the JDK cannot set up TLS 1.3 with these keys
     */
    public PeerTls(KeyManagerFactory keys, TrustManagerFactory trust, Duration handshakeTimeout) {
        try {
            this.accepting = SslContextBuilder.forServer(keys)
                    .trustManager(trust)
                    .clientAuth(ClientAuth.REQUIRE)
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOL)
                    .build();
            this.initiating = SslContextBuilder.forClient()
                    .keyManager(keys)
                    .trustManager(trust)
                    .endpointIdentificationAlgorithm(null)
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOL)
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS for the peer links: " + e.getMessage(), e);
        }
        this.handshakeTimeoutMillis = handshakeTimeout.toMillis();
    }

    /**
     * Creates the TLS stage of a new connection.
     *
     * @param alloc the connection's allocator
     * @param accept whether this member accepted the connection (the TLS server) rather than opened it
     * @return the handler, first in the pipeline
     */
    public SslHandler handler(ByteBufAllocator alloc, boolean accept) {
        final SslHandler handler = (accept ? accepting : initiating).newHandler(alloc);
        handler.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        // Each written frame goes to the engine as it is: its buffers (for AppendEntries, the journal view itself)
        // are read once, by the engine's encryption. Coalescing small writes would first copy them together.
        handler.setWrapDataSize(0);
        return handler;
    }
}
