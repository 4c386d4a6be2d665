package dev.spool.replication;

import dev.spool.replication.link.PeerTls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Key stores and trust stores for tests, made with the JDK's {@code keytool} the way docs/wire-protocol.md tells
 * users to: one self-signed EC key pair per member whose certificate's CN is the member id, and trust stores holding
 * the certificates of chosen members. All stores use {@link #PASSWORD}.
 */
public final class TestKeyStores {

    /** The password of every store made here. */
    public static final String PASSWORD = "spool-test-secret";

    private static final Path KEYTOOL = Path.of(System.getProperty("java.home"), "bin", "keytool");

    private final Path directory;
    private final Map<String, String> keyStoreTypes = new HashMap<>();

    /**
     * Keeps the stores in a directory.
     *
     * @param directory an existing directory, a test's {@code @TempDir}
     */
    public TestKeyStores(Path directory) {
        this.directory = directory;
    }

    /**
     * Makes a PKCS12 key store for a member: a new key pair and a self-signed certificate with {@code CN=member}.
     *
     * @param member the member id
     * @return the key store
     */
    public Path keyStore(String member) {
        return keyStore(member, "PKCS12");
    }

    /**
     * Makes a key store of a type for a member: a new key pair and a self-signed certificate with {@code CN=member}.
     *
     * @param member the member id
     * @param type {@code PKCS12} or {@code JKS}
     * @return the key store
     */
    public Path keyStore(String member, String type) {
        return keyStore(member, type, "CN=" + member);
    }

    /**
     * Makes a PKCS12 key store whose self-signed certificate has a subject and DNS subjectAltNames of its own.
     *
     * @param alias the store's alias and file name
     * @param subject the distinguished name, such as {@code CN=m1,O=Spool}
     * @param dnsNames the subjectAltName DNS names
     * @return the certificate
     */
    public X509Certificate certificate(String alias, String subject, String... dnsNames) {
        final List<String> extension = new ArrayList<>();
        if (dnsNames.length > 0) {
            extension.add("-ext");
            extension.add("SAN=dns:" + String.join(",dns:", dnsNames));
        }
        final Path store = keyStore(alias, "PKCS12", subject, extension.toArray(String[]::new));
        try (InputStream in = Files.newInputStream(store)) {
            final KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, PASSWORD.toCharArray());
            return (X509Certificate) keys.getCertificate(alias);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the certificate keytool made in " + store, e);
        }
    }

    /**
     * Makes a trust store holding the certificates of members whose key stores were made here.
     *
     * @param name the store's file name, without extension
     * @param type {@code PKCS12} or {@code JKS}
     * @param members the members whose certificates it trusts
     * @return the trust store
     */
    public Path trustStore(String name, String type, String... members) {
        final Path store = directory.resolve(name + extension(type));
        for (String member : members) {
            keytool(
                    "-importcert",
                    "-noprompt",
                    "-alias",
                    member,
                    "-file",
                    certificateFile(member).toString(),
                    "-keystore",
                    store.toString(),
                    "-storetype",
                    type,
                    "-storepass",
                    PASSWORD);
        }
        return store;
    }

    /**
     * Returns the TLS settings of a member whose key store was made here.
     *
     * @param member the member id
     * @param trustStore a trust store made here
     * @return the settings
     */
    public TlsSettings settings(String member, Path trustStore) {
        final String trustType = trustStore.toString().endsWith(".jks") ? "JKS" : "PKCS12";
        return new TlsSettings(
                directory.resolve(member + extension(keyStoreTypes.get(member))),
                keyStoreTypes.get(member),
                PASSWORD,
                trustStore,
                trustType,
                PASSWORD);
    }

    /**
     * Returns the TLS of a member's peer links, as a streamer with these settings builds it.
     *
     * @param member the member id
     * @param trustStore a trust store made here
     * @return the contexts, with a 10 s handshake timeout
     */
    public PeerTls peerTls(String member, Path trustStore) {
        return TlsStores.load(settings(member, trustStore), member, Duration.ofSeconds(10));
    }

    private Path keyStore(String alias, String type, String subject, String... extra) {
        final Path store = directory.resolve(alias + extension(type));
        final List<String> arguments = new ArrayList<>(List.of(
                "-genkeypair",
                "-alias",
                alias,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                subject,
                "-validity",
                "2",
                "-keystore",
                store.toString(),
                "-storetype",
                type,
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD));
        arguments.addAll(List.of(extra));
        keytool(arguments.toArray(String[]::new));
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                alias,
                "-keystore",
                store.toString(),
                "-storetype",
                type,
                "-storepass",
                PASSWORD,
                "-file",
                certificateFile(alias).toString());
        keyStoreTypes.put(alias, type);
        return store;
    }

    private Path certificateFile(String alias) {
        return directory.resolve(alias + ".crt");
    }

    private static String extension(String type) {
        return "JKS".equals(type) ? ".jks" : ".p12";
    }

    private static void keytool(String... arguments) {
        final List<String> command = new ArrayList<>(List.of(KEYTOOL.toString(), "-J-XX:TieredStopAtLevel=1"));
        command.addAll(List.of(arguments));
        try {
            final Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("keytool failed: " + command + "\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + KEYTOOL, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}
