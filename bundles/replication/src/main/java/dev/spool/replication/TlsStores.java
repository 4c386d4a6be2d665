package dev.spool.replication;

import dev.spool.replication.link.PeerIdentity;
import dev.spool.replication.link.PeerTls;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.UnrecoverableKeyException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Loads the key store and trust store of {@link TlsSettings} when a streamer starts, so that a missing file, a wrong
 * password or a file of another type stops it at once with a message naming the file and what is wrong, instead of
 * failing every connection later.
 */
final class TlsStores {

    private static final System.Logger LOG = System.getLogger(TlsStores.class.getName());

    private TlsStores() {}

    /**
     * Loads both stores and builds the TLS contexts.
     *
     * @param settings the stores
     * @param memberId this member, whose certificate must name it (peers refuse it otherwise)
     * @param handshakeTimeout how long a TLS handshake may take
     * @return the TLS of the peer links
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    static PeerTls load(TlsSettings settings, String memberId, Duration handshakeTimeout) {
        final char[] keyPassword = settings.keyStorePassword().toCharArray();
        final KeyStore keys = read("key store", settings.keyStore(), settings.keyStoreType(), keyPassword);
        final KeyStore trusted = read(
                "trust store",
                settings.trustStore(),
                settings.trustStoreType(),
                settings.trustStorePassword().toCharArray());
        if (!holdsPrivateKey(keys)) {
            throw new IllegalArgumentException("TLS key store " + settings.keyStore()
                    + " holds no private key: a member needs its own key and certificate");
        }
        warnUnlessNamed(keys, settings.keyStore(), memberId);
        if (size(trusted) == 0) {
            throw new IllegalArgumentException(
                    "TLS trust store " + settings.trustStore() + " holds no certificate: it would accept no peer");
        }
        final KeyManagerFactory keyManagers;
        final TrustManagerFactory trustManagers;
        try {
            keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, keyPassword);
            trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trusted);
        } catch (UnrecoverableKeyException e) {
            throw new IllegalArgumentException(
                    "TLS key store " + settings.keyStore()
                            + ": a private key is not protected by the key store's password",
                    e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "cannot use the TLS key store " + settings.keyStore() + " and trust store " + settings.trustStore()
                            + ": " + e.getMessage(),
                    e);
        }
        return new PeerTls(keyManagers, trustManagers, handshakeTimeout);
    }

    private static KeyStore read(String role, Path file, String type, char[] password) {
        final KeyStore store;
        try {
            store = KeyStore.getInstance(type);
        } catch (KeyStoreException e) {
            throw new IllegalArgumentException(
                    "TLS " + role + " " + file + ": this JVM knows no key store type '" + type
                            + "' (PKCS12 and JKS are supported)",
                    e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("TLS " + role + " " + file + " does not exist", e);
        } catch (IOException | GeneralSecurityException e) {
            // The JDK reports a wrong password as an IOException caused by an UnrecoverableKeyException.
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new IllegalArgumentException("TLS " + role + " " + file + ": wrong password", e);
            }
            throw new IllegalArgumentException(
                    "TLS " + role + " " + file + " cannot be read as a " + type + " key store: " + e.getMessage(), e);
        }
        return store;
    }

    /**
     * A certificate that does not name this member will be refused by every peer: warn now, at start, rather than
     * leave the operator to find it in the peers' logs. Not an error, since the peers decide whom they accept.
     */
    private static void warnUnlessNamed(KeyStore keys, Path file, String memberId) {
        final List<String> found = new ArrayList<>();
        try {
            for (String alias : Collections.list(keys.aliases())) {
                if (keys.entryInstanceOf(alias, KeyStore.PrivateKeyEntry.class)
                        && keys.getCertificate(alias) instanceof X509Certificate) {
                    final PeerIdentity identity = PeerIdentity.of((X509Certificate) keys.getCertificate(alias));
                    if (identity.names(memberId)) {
                        return;
                    }
                    found.add(alias + ": " + identity);
                }
            }
        } catch (KeyStoreException e) {
            throw new IllegalStateException("a loaded key store cannot be listed", e);
        }
        LOG.log(
                Level.WARNING,
                "TLS key store {0} holds no certificate naming member {1} (as its CN or a DNS"
                        + " subjectAltName), so its peers will refuse it; it holds {2}",
                file,
                memberId,
                found);
    }

    private static boolean holdsPrivateKey(KeyStore store) {
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.entryInstanceOf(alias, KeyStore.PrivateKeyEntry.class)) {
                    return true;
                }
            }
            return false;
        } catch (KeyStoreException e) {
            throw new IllegalStateException("a loaded key store cannot be listed", e);
        }
    }

    private static int size(KeyStore store) {
        try {
            return store.size();
        } catch (KeyStoreException e) {
            throw new IllegalStateException("a loaded key store cannot be listed", e);
        }
    }
}
