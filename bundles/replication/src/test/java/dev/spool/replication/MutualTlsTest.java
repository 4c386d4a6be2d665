package dev.spool.replication;

import static dev.spool.replication.Loopback.ANY_PORT;
import static dev.spool.replication.Loopback.CLUSTER;
import static dev.spool.replication.Loopback.NOT_DIALED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.replication.wire.FrameEncoder;
import dev.spool.replication.wire.Handshake;
import dev.spool.replication.wire.VersionRange;
import dev.spool.replication.wire.WireFormat;
import dev.spool.replication.wire.WireLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
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

    /** The logger of both stages of a peer connection (the handshake, then frames), where refusals are logged. */

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

    @Test
    @DisplayName("a peer without a certificate cannot connect: TLS refuses it before any frame is read")
    void peerWithoutCertificateRefused() throws Exception {
        try (LogCapture log = new LogCapture(LogCapture.PEER_STAGE)) {
            final NettyReplicationStreamer b = streamers.start(CLUSTER, "b", ANY_PORT, Map.of("a", NOT_DIALED));
            // A client that trusts b but presents no certificate, and then sends a valid Handshake as member a.
            final TrustManagerFactory trust = TrustManagerFactory.getInstance(
                TrustManagerFactory.getDefaultAlgorithm());
            final KeyStore trustStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(trusted)) {
                trustStore.load(in, TestKeyStores.PASSWORD.toCharArray());
            }
            trust.init(trustStore);
            final SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(null, trust.getTrustManagers(), null);
            final InetSocketAddress address = b.localAddress();
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(address.getAddress(),
                address.getPort())) {
                assertThrows(SSLException.class, () -> {
                    socket.startHandshake();
                    final OutputStream out = socket.getOutputStream();
                    out.write(handshakeFrom("a", "b"));
                    out.flush();
                    // The answer would be HandshakeAccepted; instead the TLS alert arrives.
                    socket.getInputStream().read();
                });
            }
            log.await("TLS with unidentified peer", "failed");
            assertFalse(b.connected("a"));
        }
    }

    @Test
    @DisplayName("a peer whose certificate the trust store does not hold cannot connect, though it names the member")
    void untrustedCertificateRefused() throws Exception {
        neverConnect(members.settings("b", trusted), rogues.settings("a", trusted),
            "TLS with unidentified peer", "failed", "PKIX path");
    }

    @Test
    @DisplayName("a member whose own certificate names another member is warned at start; one named right is not")
    void ownCertificateNamingAnotherMemberIsWarned() {
        try (LogCapture log = new LogCapture(TlsStores.class.getName())) {
            streamers.start(StreamerSettings.of(CLUSTER, "a", ANY_PORT, Map.of()).withTls(members.settings("c",
                trusted)));
            streamers.start(StreamerSettings.of(CLUSTER, "b", ANY_PORT, Map.of()).withTls(members.settings("b",
                trusted)));
            assertEquals(1, log.count("holds no certificate naming member a"), () -> log.matching("TLS").toString());
            assertEquals(0, log.count("naming member b"), () -> log.matching("TLS").toString());
        }
    }

    @Test
    @DisplayName("a trusted certificate of member c cannot claim to be member a: refused with IDENTITY, logged with both")
    void impersonationRefused() throws Exception {
        neverConnect(members.settings("b", trusted), members.settings("c", trusted),
            "closing the connection to unidentified peer at /127.0.0.1:",
            "(IDENTITY): claims to be member a, but its certificate names c");
    }

    @Test
    @DisplayName("the dialing member refuses an acceptor whose certificate does not name the member it dialed")
    void acceptorImpersonationRefused() throws Exception {
        neverConnect(members.settings("c", trusted), members.settings("a", trusted),
            "closing the connection to member b at /127.0.0.1:", "(IDENTITY): its certificate names c, not b");
    }

    @Test
    @DisplayName("a plaintext peer cannot talk to a TLS member")
    void plaintextPeerRefused() throws Exception {
        neverConnect(members.settings("b", trusted), null,
            "TLS with unidentified peer", "failed", "NotSslRecordException");
    }

    @Test
    @DisplayName("a wrong key store password fails construction with a message naming the file")
    void wrongPasswordNamesFile() {
        final TlsSettings good = members.settings("a", trusted);
        assertRefused(new TlsSettings(good.keyStore(), good.keyStoreType(), "not-the-password", good.trustStore(),
            good.trustStoreType(), good.trustStorePassword()), good.keyStore() + ": wrong password");
        assertRefused(new TlsSettings(good.keyStore(), good.keyStoreType(), good.keyStorePassword(),
            good.trustStore(), good.trustStoreType(), "not-the-password"), good.trustStore() + ": wrong password");
    }

    @Test
    @DisplayName("a missing store, a file that is no key store and an unknown store type fail construction, naming the file")
    void unusableStoresNameFile() throws Exception {
        final TlsSettings good = members.settings("a", trusted);
        final Path missing = stores.resolve("missing.p12");
        assertRefused(new TlsSettings(missing, "PKCS12", TestKeyStores.PASSWORD, good.trustStore(), "PKCS12",
            TestKeyStores.PASSWORD), missing + " does not exist");
        final Path text = Files.writeString(stores.resolve("not-a-store.p12"), "not a key store");
        assertRefused(new TlsSettings(good.keyStore(), good.keyStoreType(), good.keyStorePassword(), text, "PKCS12",
            TestKeyStores.PASSWORD), text + " cannot be read as a PKCS12 key store");
        assertRefused(new TlsSettings(good.keyStore(), "PEM", good.keyStorePassword(), good.trustStore(),
            good.trustStoreType(), good.trustStorePassword()), good.keyStore() + ": this JVM knows no key store type 'PEM'");
    }

    private void assertRefused(TlsSettings tls, String message) {
        final IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
            () -> streamers.start(StreamerSettings.of(CLUSTER, "a", ANY_PORT, Map.of()).withTls(tls)));
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
        try (LogCapture log = new LogCapture(LogCapture.PEER_STAGE)) {
            final NettyReplicationStreamer acceptor = streamers.start(StreamerSettings.of(CLUSTER, "b", ANY_PORT,
                Map.of("a", NOT_DIALED)).withTls(acceptorTls));
            final NettyReplicationStreamer dialer = streamers.start(StreamerSettings.of(CLUSTER, "a", ANY_PORT,
                Map.of("b", acceptor.localAddress())).withTls(dialerTls));
            log.await(logged);
            assertFalse(acceptor.connected("a"));
            assertFalse(dialer.connected("b"));
        }
    }

    private static byte[] handshakeFrom(String initiator, String acceptor) {
        final ByteBuf frame = Unpooled.buffer();
        new FrameEncoder(WireLimits.DEFAULT).encode(new Handshake(CLUSTER, initiator, acceptor,
            VersionRange.only(WireFormat.WIRE_VERSION), VersionRange.only(WireFormat.RECORD_FORMAT)), frame);
        return ByteBufUtil.getBytes(frame);
    }
}
