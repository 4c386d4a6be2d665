package dev.spool.replication.internal.osgi;

import dev.spool.api.cluster.Member;
import dev.spool.replication.FlowWindow;
import dev.spool.replication.LinkTiming;
import dev.spool.replication.StreamerSettings;
import dev.spool.replication.TlsSettings;
import dev.spool.replication.wire.WireLimits;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link ReplicationConfiguration} into checked {@link StreamerSettings}. Every wrong value is refused with
 * an error naming the PID, the property and the value (never a password).
 */
final class ReplicationSettingsParser {

    private ReplicationSettingsParser() {}

    /** The public names the passwords had before they became private properties. */
    private static final List<String> PUBLIC_SECRET_NAMES = List.of("tls.keyStorePassword", "tls.trustStorePassword");

    /**
     * Checks a configuration.
     *
     * @param config the configuration as Declarative Services hands it over
     * @param karafEtc the {@code karaf.etc} directory relative key and trust store paths resolve against, or
     *     {@code null} for the working directory
     * @return the settings
     * @throws IllegalArgumentException naming the PID, the property and the value that is wrong
     */
    static StreamerSettings parse(ReplicationConfiguration config, String karafEtc) {
        final String memberId = memberId(config.memberId());
        final LinkTiming timing = new LinkTiming(
                millis("connectTimeoutMillis", config.connectTimeoutMillis(), 1, "must be positive"),
                millis("initialBackoffMillis", config.initialBackoffMillis(), 1, "must be positive"),
                millis(
                        "maxBackoffMillis",
                        config.maxBackoffMillis(),
                        config.initialBackoffMillis(),
                        "must not be below initialBackoffMillis=" + config.initialBackoffMillis()),
                millis("keepAliveMillis", config.keepAliveMillis(), 1, "must be positive"),
                millis(
                        "idleTimeoutMillis",
                        config.idleTimeoutMillis(),
                        config.keepAliveMillis() + 1,
                        "must exceed keepAliveMillis=" + config.keepAliveMillis()));
        final FlowWindow window = new FlowWindow(
                positive("windowEntries", config.windowEntries()),
                positive("windowBytes", config.windowBytes()),
                positive("sendBufferBytes", config.sendBufferBytes()));
        return new StreamerSettings(
                cluster(config.cluster()),
                memberId,
                listenAddress(config.listenHost(), config.listenPort()),
                peers(memberId, config.peers()),
                new WireLimits(within(
                        "maxFrameBytes",
                        config.maxFrameBytes(),
                        WireLimits.MIN_FRAME_BYTES,
                        WireLimits.MAX_FRAME_BYTES)),
                timing,
                window,
                tls(config, karafEtc),
                positive("ioThreads", config.ioThreads()));
    }

    /**
     * Refuses a password given under a public property name: Declarative Services copies every public configuration
     * property into the service's properties, where any service listing shows it. Private names (a leading dot) are
     * not copied.
     *
     * @param properties the configuration's properties
     * @throws IllegalArgumentException naming the property and the private name to use, never the value
     */
    static void refusePublicSecrets(Map<String, ?> properties) {
        for (String secret : PUBLIC_SECRET_NAMES) {
            if (properties.containsKey(secret)) {
                throw new IllegalArgumentException("configuration " + ReplicationConfiguration.PID + ": " + secret
                        + " is a public property, which every service listing shows: name it ." + secret);
            }
        }
    }

    private static String cluster(String value) {
        if (value == null || value.isBlank() || value.strip().length() > WireLimits.MAX_CLUSTER_NAME_LENGTH) {
            throw invalid("cluster", value, "must have 1 to " + WireLimits.MAX_CLUSTER_NAME_LENGTH + " characters");
        }
        return value.strip();
    }

    private static String memberId(String value) {
        if (value == null || value.isBlank()) {
            throw invalid("memberId", value, "is required: this member's id, as its Raft groups name it");
        }
        try {
            return Member.voter(value.strip(), "").id();
        } catch (IllegalArgumentException e) {
            throw invalid("memberId", value, "is not a member id: " + e.getMessage());
        }
    }

    private static InetSocketAddress listenAddress(String host, int port) {
        if (host == null || host.isBlank()) {
            throw invalid("listenHost", host, "must name an address of this machine, or 0.0.0.0 for all");
        }
        final InetSocketAddress address = new InetSocketAddress(host.strip(), within("listenPort", port, 1, 65535));
        if (address.isUnresolved()) {
            throw invalid("listenHost", host, "cannot be resolved");
        }
        return address;
    }

    /**
     * Reads {@code id=host:port} entries, several per value when separated by commas (a {@code .cfg} file holds one
     * string per property). Peer addresses stay unresolved: each connection attempt resolves them again, so a peer
     * whose name moves to another address is found there.
     */
    private static Map<String, InetSocketAddress> peers(String memberId, String[] values) {
        final Map<String, InetSocketAddress> peers = new LinkedHashMap<>();
        for (String value : values == null ? new String[0] : values) {
            for (String entry : value.split(",")) {
                if (!entry.isBlank()) {
                    addPeer(peers, memberId, entry.strip());
                }
            }
        }
        return peers;
    }

    private static void addPeer(Map<String, InetSocketAddress> peers, String memberId, String entry) {
        final int equals = entry.indexOf('=');
        final int colon = entry.lastIndexOf(':');
        if (equals <= 0 || colon < equals + 2 || colon == entry.length() - 1) {
            throw invalid("peers", entry, "is not id=host:port");
        }
        final String id = entry.substring(0, equals).strip();
        try {
            Member.voter(id, "");
        } catch (IllegalArgumentException e) {
            throw invalid("peers", entry, "does not start with a member id: " + e.getMessage());
        }
        if (id.equals(memberId)) {
            throw invalid("peers", entry, "names this member (memberId=" + memberId + "); list only the others");
        }
        String host = entry.substring(equals + 1, colon).strip();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // an IPv6 literal, bracketed to set it off from the port
        }
        final int port;
        try {
            port = Integer.parseInt(entry.substring(colon + 1).strip());
        } catch (NumberFormatException e) {
            throw invalid("peers", entry, "has no port number after the last ':'");
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw invalid("peers", entry, "needs a host and a port from 1 to 65535");
        }
        if (peers.putIfAbsent(id, InetSocketAddress.createUnresolved(host, port)) != null) {
            throw invalid("peers", entry, "names member " + id + " a second time");
        }
    }

    private static TlsSettings tls(ReplicationConfiguration config, String karafEtc) {
        final boolean keyStore = isSet(config.tls_keyStore());
        final boolean trustStore = isSet(config.tls_trustStore());
        if (!keyStore && !trustStore) {
            return null;
        }
        if (!keyStore) {
            throw invalid(
                    "tls.keyStore",
                    config.tls_keyStore(),
                    "must be set with tls.trustStore=" + config.tls_trustStore()
                            + ": mutual TLS needs this member's own key and certificate");
        }
        if (!trustStore) {
            throw invalid(
                    "tls.trustStore",
                    config.tls_trustStore(),
                    "is required with tls.keyStore=" + config.tls_keyStore() + ": it decides which peers are accepted");
        }
        return new TlsSettings(
                storeFile("tls.keyStore", config.tls_keyStore(), karafEtc),
                storeType("tls.keyStoreType", config.tls_keyStoreType()),
                password(
                        ".tls.keyStorePassword",
                        config._tls_keyStorePassword(),
                        "tls.keyStorePasswordFile",
                        config.tls_keyStorePasswordFile(),
                        karafEtc),
                storeFile("tls.trustStore", config.tls_trustStore(), karafEtc),
                storeType("tls.trustStoreType", config.tls_trustStoreType()),
                password(
                        ".tls.trustStorePassword",
                        config._tls_trustStorePassword(),
                        "tls.trustStorePasswordFile",
                        config.tls_trustStorePasswordFile(),
                        karafEtc));
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    private static Path storeFile(String property, String value, String karafEtc) {
        final Path path;
        try {
            final Path configured = Path.of(value.strip());
            path = configured.isAbsolute() || karafEtc == null
                    ? configured
                    : Path.of(karafEtc).resolve(configured);
        } catch (InvalidPathException e) {
            throw invalid(property, value, "is not a valid path: " + e.getReason());
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw invalid(property, value, "is not a readable file (" + path.toAbsolutePath() + ")");
        }
        return path.toAbsolutePath();
    }

    private static String storeType(String property, String value) {
        if (!isSet(value)) {
            throw invalid(property, value, "must name a key store type such as PKCS12 or JKS");
        }
        return value.strip();
    }

    /**
     * Returns a password given inline (a private property) or in a file; never puts the password in an error.
     */
    private static String password(String property, String value, String fileProperty, String file, String karafEtc) {
        if (!isSet(file)) {
            return value == null ? "" : value;
        }
        if (isSet(value)) {
            throw invalid(fileProperty, file, "cannot be set with " + property + ": give the password one way");
        }
        final String content;
        try {
            content = Files.readString(storeFile(fileProperty, file, karafEtc));
        } catch (IOException e) {
            throw invalid(fileProperty, file, "cannot be read: " + e.getClass().getSimpleName());
        }
        return content.endsWith("\r\n")
                ? content.substring(0, content.length() - 2)
                : content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
    }

    private static Duration millis(String property, long value, long min, String rule) {
        if (value < min) {
            throw invalid(property, value, rule);
        }
        return Duration.ofMillis(value);
    }

    private static int positive(String property, int value) {
        if (value < 1) {
            throw invalid(property, value, "must be positive");
        }
        return value;
    }

    private static int within(String property, int value, int min, int max) {
        if (value < min || value > max) {
            throw invalid(property, value, "must be between " + min + " and " + max);
        }
        return value;
    }

    private static IllegalArgumentException invalid(String property, Object value, String rule) {
        return new IllegalArgumentException(
                "configuration " + ReplicationConfiguration.PID + ": " + property + "=" + value + " " + rule);
    }
}
