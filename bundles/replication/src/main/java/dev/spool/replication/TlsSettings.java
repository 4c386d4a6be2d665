package dev.spool.replication;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Mutual TLS between members: each member presents the certificate of its key store and accepts a peer only if the
 * trust store vouches for the peer's certificate and the certificate names the member id the peer claims.
 *
 * <p>A certificate names member {@code id} when the subject common name (CN) of its leaf certificate, or one of its
 * subjectAltName DNS names, equals {@code id} exactly; so each member's key store holds a certificate naming that
 * member, and one trusted certificate cannot stand in for another member. The trust store holds the members'
 * certificates or the certificate of the authority that signed them. A {@link NettyReplicationStreamer} loads both
 * stores when it is constructed and refuses, naming the file, a store that is missing, has another password, is not
 * of the given type, or (key store) holds no private key or (trust store) no certificate. Only TLS 1.3 is spoken.
 * docs/wire-protocol.md ("Mutual TLS") shows how to make the stores with {@code keytool}.
 *
 * @param keyStore this member's key store: its private key and certificate chain
 * @param keyStoreType the key store's type, such as {@code PKCS12} or {@code JKS}
 * @param keyStorePassword the key store's password, also the key's
 * @param trustStore the certificates (or their issuers) this member trusts
 * @param trustStoreType the trust store's type
 * @param trustStorePassword the trust store's password
 */
public record TlsSettings(
        Path keyStore,
        String keyStoreType,
        String keyStorePassword,
        Path trustStore,
        String trustStoreType,
        String trustStorePassword) {

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
