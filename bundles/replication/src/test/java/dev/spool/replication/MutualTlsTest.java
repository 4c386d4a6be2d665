package dev.spool.replication;

import static dev.spool.replication.Loopback.ANY_PORT;
import static dev.spool.replication.Loopback.CLUSTER;
import static dev.spool.replication.Loopback.NOT_DIALED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.replication.wire.FrameEncoder;
import dev.spool.replication.wire.Handshake;
import dev.spool.replication.wire.VersionRange;
import dev.spool.replication.wire.WireFormat;
import dev.spool.replication.wire.WireLimits;
import dev.spool.testing.LogCapture;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streamers with mutual TLS on loopback: members whose certificates the others trust and whose certificates name
 * them talk; everyone else is refused with a logged reason. Key stores are made once for the class with keytool.
 */
@Timeout(60)
@ExtendWith(LeakDetection.class)
class MutualTlsTest {

    @TempDir
    static Path stores;

    private static TestKeyStores members;
    private static Path trusted;
    private static TestKeyStores rogues;

    private final Loopback streamers = new Loopback(member -> members.settings(member, trusted));

    @BeforeAll
    static void makeKeyStores() throws Exception {
        members = new TestKeyStores(Files.createDirectory(stores.resolve("members")));
        members.keyStore("a");
        members.keyStore("b");
        // Both store types work: c's key store is JKS.
        members.keyStore("c", "JKS");
        trusted = members.trustStore("trusted", "PKCS12", "a", "b", "c");
        // A certificate that names member a but that no member trusts.
        rogues = new TestKeyStores(Files.createDirectory(stores.resolve("rogues")));
        rogues.keyStore("a");
    }

    @AfterEach
    void closeAll() throws Exception {
        streamers.close();
    }

    @Test
    @DisplayName("over TLS three members connect; every message type arrives in order, records intact, views released")
    void everyMessageTypeOverTls() throws Exception {
        streamers.exchangeEveryMessageType();
    }

    /*
     * How a peer without a certificate learns of its refusal is not the server's to choose. TLS 1.3 lets the client
     * finish its handshake before the server has checked the client's certificate, so the client goes on to send
     * frames. The server answers the empty certificate with a certificate_required alert and closes at once
     * (RFC 8446, 6.2); closing a socket with the client's bytes still unread makes the kernel answer with a reset.
     * The client's socket therefore fails with the alert (SSLException) when it reads first, and with "Broken pipe"
     * or "Connection reset" (SocketException) when it writes after the reset. The refusal itself is decided, and
     * asserted, on the server: the TLS stage logs it with its cause and no frame is ever read.
     */

    @Test
    @DisplayName("a peer without a certificate cannot connect: TLS refuses it before any frame is read")
    void peerWithoutCertificateRefused() throws Exception {
        refusedWithoutCertificate(socket -> {
            socket.getOutputStream().write(handshakeFrom("a", "b"));
            // The answer would be HandshakeAccepted; instead the alert or the reset arrives.
            socket.getInputStream().read();
        });
    }

    @Test
    @DisplayName("a peer without a certificate that keeps sending is refused the same way, though it sees a reset")
    void peerWithoutCertificateKeepsSendingRefused() throws Exception {
        final IOException failure = refusedWithoutCertificate(socket -> {
            final byte[] handshake = handshakeFrom("a", "b");
            for (; ; ) {
                socket.getOutputStream().write(handshake);
            }
        });
        assertInstanceOf(SocketException.class, failure);
    }

    @Test
    @DisplayName("a peer whose certificate the trust store does not hold cannot connect, though it names the member")
    void untrustedCertificateRefused() throws Exception {
        neverConnect(
                members.settings("b", trusted),
                rogues.settings("a", trusted),
                "TLS with unidentified peer",
                "failed",
                "PKIX path");
    }

    @Test
    @DisplayName("a member whose own certificate names another member is warned at start; one named right is not")
    void ownCertificateNamingAnotherMemberIsWarned() {
        try (LogCapture log = new LogCapture(TlsStores.class)) {
            streamers.start(
                    StreamerSettings.of(CLUSTER, "a", ANY_PORT, Map.of()).withTls(members.settings("c", trusted)));
            streamers.start(
                    StreamerSettings.of(CLUSTER, "b", ANY_PORT, Map.of()).withTls(members.settings("b", trusted)));
            assertEquals(
                    1,
                    log.count("holds no certificate naming member a"),
                    () -> log.matching("TLS").toString());
            assertEquals(
                    0, log.count("naming member b"), () -> log.matching("TLS").toString());
        }
    }

    @Test
    @DisplayName(
            "a trusted certificate of member c cannot claim to be member a: refused with IDENTITY, logged with both")
    void impersonationRefused() throws Exception {
        neverConnect(
                members.settings("b", trusted),
                members.settings("c", trusted),
                "closing the connection to unidentified peer at /127.0.0.1:",
                "(IDENTITY): claims to be member a, but its certificate names c");
    }

    @Test
    @DisplayName("the dialing member refuses an acceptor whose certificate does not name the member it dialed")
    void acceptorImpersonationRefused() throws Exception {
        neverConnect(
                members.settings("c", trusted),
                members.settings("a", trusted),
                "closing the connection to member b at /127.0.0.1:",
                "(IDENTITY): its certificate names c, not b");
    }

    @Test
    @DisplayName("a plaintext peer cannot talk to a TLS member")
    void plaintextPeerRefused() throws Exception {
        neverConnect(
                members.settings("b", trusted), null, "TLS with unidentified peer", "failed", "NotSslRecordException");
    }

    @Test
    @DisplayName("a wrong key store password fails construction with a message naming the file")
    void wrongPasswordNamesFile() {
        final TlsSettings good = members.settings("a", trusted);
        assertRefused(
                new TlsSettings(
                        good.keyStore(),
                        good.keyStoreType(),
                        "not-the-password",
                        good.trustStore(),
                        good.trustStoreType(),
                        good.trustStorePassword()),
                good.keyStore() + ": wrong password");
        assertRefused(
                new TlsSettings(
                        good.keyStore(),
                        good.keyStoreType(),
                        good.keyStorePassword(),
                        good.trustStore(),
                        good.trustStoreType(),
                        "not-the-password"),
                good.trustStore() + ": wrong password");
    }

    @Test
    @DisplayName(
            "a missing store, a file that is no key store and an unknown store type fail construction, naming the file")
    void unusableStoresNameFile() throws Exception {
        final TlsSettings good = members.settings("a", trusted);
        final Path missing = stores.resolve("missing.p12");
        assertRefused(
                new TlsSettings(
                        missing, "PKCS12", TestKeyStores.PASSWORD, good.trustStore(), "PKCS12", TestKeyStores.PASSWORD),
                missing + " does not exist");
        final Path text = Files.writeString(stores.resolve("not-a-store.p12"), "not a key store");
        assertRefused(
                new TlsSettings(
                        good.keyStore(),
                        good.keyStoreType(),
                        good.keyStorePassword(),
                        text,
                        "PKCS12",
                        TestKeyStores.PASSWORD),
                text + " cannot be read as a PKCS12 key store");
        assertRefused(
                new TlsSettings(
                        good.keyStore(),
                        "PEM",
                        good.keyStorePassword(),
                        good.trustStore(),
                        good.trustStoreType(),
                        good.trustStorePassword()),
                good.keyStore() + ": this JVM knows no key store type 'PEM'");
    }

    private void assertRefused(TlsSettings tls, String message) {
        final IllegalArgumentException failure = assertThrows(
                IllegalArgumentException.class,
                () -> streamers.start(
                        StreamerSettings.of(CLUSTER, "a", ANY_PORT, Map.of()).withTls(tls)));
        assertTrue(failure.getMessage().contains(message), failure.getMessage());
    }

    /**
     * Starts member b, which accepts, and member a, which dials it, and checks that they never connect and that the
     * reason is logged.
     *
     * @param acceptorTls b's TLS settings
     * @param dialerTls a's TLS settings, {@code null} for plaintext
     * @param logged what the message telling the reason contains
     */
    private void neverConnect(TlsSettings acceptorTls, TlsSettings dialerTls, String... logged)
            throws InterruptedException {
        try (LogCapture log = new LogCapture(Loopback.PEER_STAGE_LOGGER)) {
            final NettyReplicationStreamer acceptor =
                    streamers.start(StreamerSettings.of(CLUSTER, "b", ANY_PORT, Map.of("a", NOT_DIALED))
                            .withTls(acceptorTls));
            final NettyReplicationStreamer dialer =
                    streamers.start(StreamerSettings.of(CLUSTER, "a", ANY_PORT, Map.of("b", acceptor.localAddress()))
                            .withTls(dialerTls));
            log.await(logged);
            assertFalse(acceptor.connected("a"));
            assertFalse(dialer.connected("b"));
        }
    }

    /**
     * Lets a client that trusts member b but presents no certificate finish its TLS handshake, then talk as member a
     * until its socket fails, and checks that b refused it in its TLS stage, naming the cause, before any frame.
     *
     * @param client what the client does once its TLS handshake is done; it must end in an exception
     * @return how the client's socket failed
     */
    private IOException refusedWithoutCertificate(Client client) throws Exception {
        try (LogCapture log = new LogCapture(Loopback.PEER_STAGE_LOGGER)) {
            final NettyReplicationStreamer b = streamers.start(CLUSTER, "b", ANY_PORT, Map.of("a", NOT_DIALED));
            final IOException failure;
            try (SSLSocket socket = withoutCertificate(b.localAddress())) {
                socket.startHandshake();
                failure = assertThrows(IOException.class, () -> client.talk(socket));
            }
            log.await("TLS with unidentified peer", "failed", "Empty client certificate chain");
            assertEquals(
                    1,
                    log.count("unidentified peer"),
                    () -> log.matching("peer").toString());
            assertFalse(b.connected("a"));
            return failure;
        }
    }

    /** What a test's client does over its TLS socket. */
    @FunctionalInterface
    private interface Client {
        void talk(SSLSocket socket) throws IOException;
    }

    /** A TLS 1.3 client that trusts the members but presents no certificate of its own. */
    private static SSLSocket withoutCertificate(InetSocketAddress address) throws Exception {
        final TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        final KeyStore trustStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(trusted)) {
            trustStore.load(in, TestKeyStores.PASSWORD.toCharArray());
        }
        trust.init(trustStore);
        final SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(null, trust.getTrustManagers(), null);
        return (SSLSocket) context.getSocketFactory().createSocket(address.getAddress(), address.getPort());
    }

    private static byte[] handshakeFrom(String initiator, String acceptor) {
        final ByteBuf frame = Unpooled.buffer();
        new FrameEncoder(WireLimits.DEFAULT)
                .encode(
                        new Handshake(
                                CLUSTER,
                                initiator,
                                acceptor,
                                VersionRange.only(WireFormat.WIRE_VERSION),
                                VersionRange.only(WireFormat.RECORD_FORMAT)),
                        frame);
        return ByteBufUtil.getBytes(frame);
    }
}
