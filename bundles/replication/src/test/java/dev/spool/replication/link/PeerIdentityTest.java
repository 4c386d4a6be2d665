package dev.spool.replication.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.replication.TestKeyStores;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which member ids a certificate names: its subject CN and its subjectAltName DNS names, exactly. */
class PeerIdentityTest {

    @TempDir
    Path stores;

    @Test
    @DisplayName("a certificate names the member of its CN, exactly: not another id, not another case, not a prefix")
    void commonNameExactly() {
        final PeerIdentity identity = PeerIdentity.of(new TestKeyStores(stores).certificate("m1", "CN=m1"));
        assertTrue(identity.names("m1"));
        assertFalse(identity.names("m2"));
        assertFalse(identity.names("M1"));
        assertFalse(identity.names("m"));
        assertEquals("m1", identity.toString());
    }

    @Test
    @DisplayName("subjectAltName DNS names count as well as the CN; other attributes of the subject do not")
    void subjectAltNames() {
        final X509Certificate certificate =
                new TestKeyStores(stores).certificate("node", "CN=node-7,OU=m4,O=Spool", "m2", "m3");
        final PeerIdentity identity = PeerIdentity.of(certificate);
        assertTrue(identity.names("node-7"));
        assertTrue(identity.names("m2"));
        assertTrue(identity.names("m3"));
        assertFalse(identity.names("m4"), "an organisational unit is not a name");
        assertFalse(identity.names("Spool"));
        assertEquals("node-7, m2, m3", identity.toString());
    }
}
