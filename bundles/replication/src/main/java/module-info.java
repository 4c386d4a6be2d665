/** Spool's replication transport: peer links over Netty carrying Raft messages and raw journal records. */
module dev.spool.replication {
    requires dev.spool.api;
    // Netty's jars are OSGi bundles and automatic modules (Automatic-Module-Name in their manifests).
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.common;
    requires io.netty.handler;
    requires io.netty.transport;
    // The subject of a peer's certificate is parsed as an LDAP name (RFC 2253) to read its common name.
    requires java.naming;
    requires static osgi.core;
    requires static org.osgi.annotation.bundle;
    requires static org.osgi.annotation.versioning;
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.service.metatype.annotations;

    exports dev.spool.replication;
}
