package dev.spool.replication.link;

import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The member ids a peer's TLS certificate vouches for, so that one trusted certificate cannot stand in for another
 * member: a certificate names a member when its leaf's subject common name (CN), or one of its subjectAltName DNS
 * names, equals the member id exactly (case-sensitive, no wildcards). Both ends of a connection check it: the
 * acceptor against the member the Handshake claims, the initiator against the member it dialed.
 *
 * <p>Immutable and thread-safe.
 */
public final class PeerIdentity {

    /** The type of a dNSName in {@link X509Certificate#getSubjectAlternativeNames()} (RFC 5280, GeneralName). */
    private static final int DNS_NAME = 2;

    private final List<String> names;

    private PeerIdentity(List<String> names) {
        this.names = List.copyOf(names);
    }

    /**
     * Reads the names of the peer's leaf certificate in an established TLS session.
     *
     * @param session the session
     * @return the identity; without a peer certificate it names no member
     */
    static PeerIdentity of(SSLSession session) {
        final Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return new PeerIdentity(List.of());
        }
        return chain.length > 0 && chain[0] instanceof X509Certificate
                ? of((X509Certificate) chain[0])
                : new PeerIdentity(List.of());
    }

    /**
     * Reads the names of a certificate.
     *
     * @param certificate the certificate
     * @return the identity
     */
    public static PeerIdentity of(X509Certificate certificate) {
        final List<String> names = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType()) && rdn.getValue() instanceof String) {
                    names.add((String) rdn.getValue());
                }
            }
        } catch (InvalidNameException e) {
            // The JDK parsed the certificate; a subject its own RFC 2253 form cannot express names no member.
        }
        try {
            final Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    if (alternative.get(0) instanceof Integer && (Integer) alternative.get(0) == DNS_NAME) {
                        names.add(String.valueOf(alternative.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // An undecodable extension names no member; the common name may still do.
        }
        return new PeerIdentity(names);
    }

    /**
     * Tells whether the certificate names a member.
     *
     * @param memberId the member id
     * @return whether the CN or a DNS subjectAltName equals it
     */
    public boolean names(String memberId) {
        return names.contains(memberId);
    }

    /**
     * Returns the names for a log message.
     *
     * @return the names, or a note that there are none
     */
    @Override
    public String toString() {
        return names.isEmpty() ? "no name" : String.join(", ", names);
    }
}
