package dev.spool.replication.internal.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.replication.FlowWindow;
import dev.spool.replication.LinkTiming;
import dev.spool.replication.StreamerSettings;
import dev.spool.replication.TlsSettings;
import dev.spool.replication.wire.WireLimits;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replication component's configuration becomes checked settings; a wrong value is named with its property. */
class ReplicationSettingsParserTest {

    @TempDir
    Path etc;

    private static StreamerSettings parse(Map<String, ?> properties) {
        return ReplicationSettingsParser.parse(Configurations.of(properties), null);
    }

    /** The given properties, memberId m1 unless they name another. */
    private static Map<String, Object> member(Object... keysAndValues) {
        final Map<String, Object> properties = new HashMap<>();
        properties.put("memberId", "m1");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return properties;
    }

    @Test
    @DisplayName("only memberId set: the documented defaults, which equal the transport's own defaults")
    void defaults() {
        final StreamerSettings settings = parse(member());
        assertEquals("spool", settings.cluster());
        assertEquals("m1", settings.memberId());
        assertEquals(new InetSocketAddress("0.0.0.0", 7800), settings.listenAddress());
        assertEquals(Map.of(), settings.peers());
        assertEquals(WireLimits.DEFAULT, settings.limits());
        assertEquals(LinkTiming.DEFAULT, settings.timing());
        assertEquals(FlowWindow.DEFAULT, settings.window());
        assertTrue(settings.tlsSettings().isEmpty(), "plaintext without a key store");
        assertEquals(2, settings.ioThreads());
    }

    @Test
    @DisplayName("every property reaches its setting; values are trimmed")
    void everyPropertyIsRead() {
        final StreamerSettings settings = parse(member(
                "cluster",
                " prod ",
                "memberId",
                " m2 ",
                "listenHost",
                "127.0.0.1",
                "listenPort",
                7900,
                "maxFrameBytes",
                1 << 20,
                "connectTimeoutMillis",
                700L,
                "initialBackoffMillis",
                10L,
                "maxBackoffMillis",
                900L,
                "keepAliveMillis",
                200L,
                "idleTimeoutMillis",
                2000L,
                "windowEntries",
                64,
                "windowBytes",
                1 << 16,
                "sendBufferBytes",
                1 << 18,
                "ioThreads",
                3));
        assertEquals("prod", settings.cluster());
        assertEquals("m2", settings.memberId());
        assertEquals(new InetSocketAddress("127.0.0.1", 7900), settings.listenAddress());
        assertEquals(new WireLimits(1 << 20), settings.limits());
        assertEquals(
                new LinkTiming(
                        Duration.ofMillis(700),
                        Duration.ofMillis(10),
                        Duration.ofMillis(900),
                        Duration.ofMillis(200),
                        Duration.ofMillis(2000)),
                settings.timing());
        assertEquals(new FlowWindow(64, 1 << 16, 1 << 18), settings.window());
        assertEquals(3, settings.ioThreads());
    }

    @Test
    @DisplayName("peers are id=host:port, one per value or comma-separated; IPv6 hosts in brackets; left unresolved")
    void peers() {
        final StreamerSettings settings = parse(
                member("peers", new String[] {"m2=127.0.0.1:7801", " m3 = node3.example:7802 , m4=[::1]:7803", ""}));
        assertEquals(
                List.of("m2", "m3", "m4"),
                settings.peers().keySet().stream().sorted().toList());
        assertAddress("127.0.0.1", 7801, settings.peers().get("m2"));
        assertAddress("node3.example", 7802, settings.peers().get("m3"));
        assertAddress("::1", 7803, settings.peers().get("m4"));
    }

    private static void assertAddress(String host, int port, InetSocketAddress address) {
        assertEquals(host, address.getHostString());
        assertEquals(port, address.getPort());
        assertTrue(address.isUnresolved(), "resolved at each connection attempt, not at activation");
    }

    @Test
    @DisplayName("tls.keyStore turns TLS on; relative store paths resolve against karaf.etc")
    void tls() throws IOException {
        Files.createFile(etc.resolve("m1.p12"));
        final Path trust = Files.createFile(etc.resolve("trust.jks"));
        final TlsSettings tls = ReplicationSettingsParser.parse(
                        Configurations.of(member(
                                "tls.keyStore",
                                "m1.p12",
                                ".tls.keyStorePassword",
                                "secret1",
                                "tls.trustStore",
                                trust.toString(),
                                "tls.trustStoreType",
                                "JKS",
                                ".tls.trustStorePassword",
                                "secret2")),
                        etc.toString())
                .tlsSettings()
                .orElseThrow();
        assertEquals(new TlsSettings(etc.resolve("m1.p12"), "PKCS12", "secret1", trust, "JKS", "secret2"), tls);
    }

    @Test
    @DisplayName("a password file (relative to karaf.etc) gives the password, so ConfigAdmin and config:list hold"
            + " only its path")
    void passwordFiles() throws IOException {
        Files.createFile(etc.resolve("m1.p12"));
        Files.writeString(etc.resolve("key.pass"), "secret1\n");
        Files.writeString(etc.resolve("trust.pass"), "secret2");
        final TlsSettings tls = ReplicationSettingsParser.parse(
                        Configurations.of(member(
                                "tls.keyStore",
                                "m1.p12",
                                "tls.keyStorePasswordFile",
                                "key.pass",
                                "tls.trustStore",
                                "m1.p12",
                                "tls.trustStorePasswordFile",
                                etc.resolve("trust.pass").toString())),
                        etc.toString())
                .tlsSettings()
                .orElseThrow();
        assertEquals("secret1", tls.keyStorePassword(), "one trailing line break is not part of the password");
        assertEquals("secret2", tls.trustStorePassword());

        final String store = etc.resolve("m1.p12").toString();
        final IllegalArgumentException both = assertThrows(
                IllegalArgumentException.class,
                () -> parse(member(
                        "tls.keyStore",
                        store,
                        "tls.trustStore",
                        store,
                        ".tls.keyStorePassword",
                        "hunter2",
                        "tls.keyStorePasswordFile",
                        "key.pass")));
        assertEquals(
                "configuration dev.spool.replication: tls.keyStorePasswordFile=key.pass cannot be set with"
                        + " .tls.keyStorePassword: give the password one way",
                both.getMessage());
        assertNamed(
                "tls.trustStorePasswordFile=missing.pass",
                member("tls.keyStore", store, "tls.trustStore", store, "tls.trustStorePasswordFile", "missing.pass"));
    }

    @Test
    @DisplayName("every wrong value fails with an error naming the PID, the property and the value")
    void wrongValuesAreNamed() throws IOException {
        final String key = Files.createFile(etc.resolve("key.p12")).toString();
        assertNamed("memberId=null", member("memberId", null));
        assertNamed("memberId= ", member("memberId", " "));
        assertNamed("memberId=m 1", member("memberId", "m 1"));
        assertNamed("cluster=", member("cluster", ""));
        assertNamed("cluster=" + "c".repeat(256), member("cluster", "c".repeat(256)));
        assertNamed("listenHost=", member("listenHost", " "));
        assertNamed("listenPort=0", member("listenPort", 0));
        assertNamed("listenPort=65536", member("listenPort", 65536));
        for (String peer : List.of(
                "m2", "m2=host", "=h:1", "m2=h:", "m2=:1", "m2=h:x", "m2=h:0", "m2=h:65536", "m 2=h:1", "m1=h:1")) {
            assertNamed("peers=" + peer, member("peers", new String[] {peer}));
        }
        assertNamed("peers=m2=h:2", member("peers", new String[] {"m2=h:1", "m2=h:2"}));
        assertNamed("maxFrameBytes=1024", member("maxFrameBytes", 1024));
        assertNamed("connectTimeoutMillis=0", member("connectTimeoutMillis", 0L));
        assertNamed("initialBackoffMillis=-5", member("initialBackoffMillis", -5L));
        assertNamed("maxBackoffMillis=10", member("initialBackoffMillis", 50L, "maxBackoffMillis", 10L));
        assertNamed("keepAliveMillis=0", member("keepAliveMillis", 0L));
        assertNamed("idleTimeoutMillis=1000", member("keepAliveMillis", 1000L, "idleTimeoutMillis", 1000L));
        assertNamed("windowEntries=0", member("windowEntries", 0));
        assertNamed("windowBytes=-1", member("windowBytes", -1));
        assertNamed("sendBufferBytes=0", member("sendBufferBytes", 0));
        assertNamed("ioThreads=0", member("ioThreads", 0));
        assertNamed("tls.trustStore=", member("tls.keyStore", key));
        assertNamed("tls.keyStore=", member("tls.trustStore", key));
        assertNamed("tls.keyStore=missing.p12", member("tls.keyStore", "missing.p12", "tls.trustStore", key));
        assertNamed("tls.trustStore=" + etc, member("tls.keyStore", key, "tls.trustStore", etc.toString()));
        assertNamed("tls.keyStoreType=", member("tls.keyStore", key, "tls.trustStore", key, "tls.keyStoreType", ""));
    }

    @Test
    @DisplayName("an error about the stores never shows a password")
    void passwordsStayOutOfErrors() {
        final IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> parse(member(
                        "tls.keyStore",
                        "missing.p12",
                        ".tls.keyStorePassword",
                        "hunter2",
                        "tls.trustStore",
                        "missing.jks",
                        ".tls.trustStorePassword",
                        "hunter3")));
        assertFalse(e.getMessage().contains("hunter"), e.getMessage());
    }

    @Test
    @DisplayName("a password under a public name (copied into service properties) is refused, naming the private"
            + " name to use and not the value")
    void publicPasswordsAreRefused() {
        for (String name : List.of("tls.keyStorePassword", "tls.trustStorePassword")) {
            final IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> ReplicationSettingsParser.refusePublicSecrets(Map.of("memberId", "m1", name, "hunter2")));
            assertEquals(
                    "configuration dev.spool.replication: " + name + " is a public property, which every"
                            + " service listing shows: name it ." + name,
                    e.getMessage());
        }
        ReplicationSettingsParser.refusePublicSecrets(Map.of("memberId", "m1", ".tls.keyStorePassword", "x"));
    }

    @Test
    @DisplayName(
            "the metatype marks every password as a password, and names it privately (never a service" + " property)")
    void metatypeKeepsPasswordsPrivate() throws IOException {
        final Path metatype =
                Path.of("target", "classes", "OSGI-INF", "metatype", ReplicationConfiguration.PID + ".xml");
        final String xml = Files.readString(metatype);
        final var definitions = java.util.regex.Pattern.compile("<AD [^>]*>")
                .matcher(xml)
                .results()
                .map(java.util.regex.MatchResult::group)
                .toList();
        final List<String> passwords = definitions.stream()
                .filter(ad -> ad.matches(".*id=\"[^\"]*(?i:password)\".*"))
                .toList();
        assertEquals(2, passwords.size(), xml);
        for (String ad : passwords) {
            assertTrue(ad.contains("type=\"Password\""), ad);
            assertTrue(ad.matches(".*id=\"\\.[^\"]*\".*"), "a private name (a leading dot): " + ad);
        }
    }

    private static void assertNamed(String expected, Map<String, ?> properties) {
        final IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> parse(properties), expected);
        assertTrue(e.getMessage().startsWith("configuration dev.spool.replication: " + expected), e.getMessage());
    }
}
