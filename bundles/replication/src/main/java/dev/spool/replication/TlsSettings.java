package dev.spool.replication;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Mutual TLS between members: each member presents the certificate of its key store and accepts a peer only if the
 * trust store vouches for the peer's certificate and the certificate names the member id the peer claims.
 *
 * @param keyStore this member's key store: its private key and certificate chain
 * @param keyStoreType the key store's type, such as {@code PKCS12} or {@code JKS}
 * @param keyStorePassword the key store's password, also the key's
 * @param trustStore the certificates (or their issuers) this member trusts
 * @param trustStoreType the trust store's type
 * @param trustStorePassword the trust store's password
 */
public record TlsSettings(Path keyStore, String keyStoreType, String keyStorePassword, Path trustStore,
                          String trustStoreType, String trustStorePassword) {

    /**
     * Checks that every value is present.
     *
     * @throws NullPointerException naming the missing value
     */
    public TlsSettings {
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(keyStoreType, "keyStoreType");
        Objects.requireNonNull(keyStorePassword, "keyStorePassword");
        Objects.requireNonNull(trustStore, "trustStore");
        Objects.requireNonNull(trustStoreType, "trustStoreType");
        Objects.requireNonNull(trustStorePassword, "trustStorePassword");
    }

    @Override
    public String toString() {
        return "TlsSettings[keyStore=" + keyStore + ", keyStoreType=" + keyStoreType + ", trustStore=" + trustStore
            + ", trustStoreType=" + trustStoreType + "]";
    }
}
