package dev.spool.replication.internal.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The configuration of this member's replication transport, PID {@value #PID}. It is required: a member without
 * one publishes no transport, which is right for single-member groups. {@code memberId} has no default.
 */
@ObjectClassDefinition(
        id = ReplicationConfiguration.PID,
        name = "Spool replication",
        description =
                "This member's peer links: where it listens, which members it connects to, their timing, flow"
                        + " control and mutual TLS. Without this configuration no transport runs (single-member groups need none).")
public @interface ReplicationConfiguration {
    /** The configuration PID. */
    String PID = "dev.spool.replication";

    /**
     * Returns the cluster name.
     *
     * @return the name every member of the cluster is configured with
     */
    @AttributeDefinition(
            name = "Cluster",
            description = "The cluster's name: a peer configured with another name" + " is refused at the handshake.")
    String cluster() default "spool";

    /**
     * Returns this member's id.
     *
     * @return the id; the Raft groups of this member are configured with the same memberId
     */
    @AttributeDefinition(
            name = "Member id",
            description = "This member's id, the same as the memberId of its Raft" + " groups.")
    String memberId();

    /**
     * Returns the listen host.
     *
     * @return a host name or address of this machine
     */
    @AttributeDefinition(
            name = "Listen host",
            description = "The address peers connect to; 0.0.0.0 listens on" + " every interface.")
    String listenHost() default "0.0.0.0";

    /**
     * Returns the listen port.
     *
     * @return 1 to 65535
     */
    @AttributeDefinition(
            name = "Listen port",
            description = "The TCP port peers connect to: 1 to 65535.",
            min = "1",
            max = "65535")
    int listenPort() default 7800;

    /**
     * Returns the other members.
     *
     * @return entries {@code id=host:port}; an entry may hold several, separated by commas
     */
    @AttributeDefinition(
            name = "Peers",
            description = "The other members as id=host:port, one per value or"
                    + " separated by commas. This member is not among them. Only a bootstrap: a member the groups' logs add"
                    + " (spool:add-member) is accepted and dialled at the address its membership change gives.")
    String[] peers() default {};

    /**
     * Returns the frame limit.
     *
     * @return the largest frame in bytes
     */
    @AttributeDefinition(
            name = "Maximum frame size",
            description =
                    "The largest frame sent or accepted, in bytes:"
                            + " 65536 to 1073741824. It bounds the records one AppendEntries carries; all members should agree.",
            min = "65536",
            max = "1073741824")
    int maxFrameBytes() default 16777216;

    /**
     * Returns the connect timeout.
     *
     * @return milliseconds
     */
    @AttributeDefinition(
            name = "Connect timeout",
            description = "How long one connection attempt (TCP and the TLS"
                    + " handshake) may take, and how long a connection may take to complete its handshake once connected, in"
                    + " milliseconds.",
            min = "1")
    long connectTimeoutMillis() default 5000;

    /**
     * Returns the first reconnection wait.
     *
     * @return milliseconds
     */
    @AttributeDefinition(
            name = "Initial backoff",
            description = "The wait before the first reconnection attempt,"
                    + " in milliseconds; it doubles after every failed attempt.",
            min = "1")
    long initialBackoffMillis() default 50;

    /**
     * Returns the longest reconnection wait.
     *
     * @return milliseconds
     */
    @AttributeDefinition(
            name = "Maximum backoff",
            description = "The longest wait between reconnection attempts,"
                    + " in milliseconds; at least the initial backoff.",
            min = "1")
    long maxBackoffMillis() default 5000;

    /**
     * Returns the keep-alive interval.
     *
     * @return milliseconds
     */
    @AttributeDefinition(
            name = "Keep-alive interval",
            description = "How long a connection may send nothing" + " before a keep-alive goes out, in milliseconds.",
            min = "1")
    long keepAliveMillis() default 1000;

    /**
     * Returns the idle timeout.
     *
     * @return milliseconds
     */
    @AttributeDefinition(
            name = "Idle timeout",
            description = "How long a connection may receive nothing before it"
                    + " is taken for dead and closed, in milliseconds; longer than the keep-alive interval.",
            min = "2")
    long idleTimeoutMillis() default 10000;

    /**
     * Returns the per-group window in entries.
     *
     * @return records
     */
    @AttributeDefinition(
            name = "Window in entries",
            description = "The most records of one group in flight to one" + " peer.",
            min = "1")
    int windowEntries() default 8192;

    /**
     * Returns the per-group window in bytes.
     *
     * @return bytes
     */
    @AttributeDefinition(
            name = "Window in bytes",
            description = "The most AppendEntries and InstallSnapshot bytes" + " of one group in flight to one peer.",
            min = "1")
    int windowBytes() default 16777216;

    /**
     * Returns the per-connection send buffer.
     *
     * @return bytes
     */
    @AttributeDefinition(
            name = "Send buffer",
            description = "The most bytes one connection holds unsent; messages"
                    + " beyond it are dropped and Raft retransmits them.",
            min = "1")
    int sendBufferBytes() default 8388608;

    /**
     * Returns the number of I/O threads.
     *
     * @return threads
     */
    @AttributeDefinition(
            name = "I/O threads",
            description = "The event-loop threads serving every connection of" + " this member.",
            min = "1")
    int ioThreads() default 2;

    /**
     * Returns the key store.
     *
     * @return a path, or empty for plaintext
     */
    @AttributeDefinition(
            name = "TLS key store",
            description = "This member's private key and certificate, whose"
                    + " subject or subject alternative name is the member id. Set: mutual TLS; empty: plaintext. A relative path"
                    + " resolves against the karaf.etc system property when set, else against the working directory.")
    String tls_keyStore() default "";

    /**
     * Returns the key store's type.
     *
     * @return a key store type
     */
    @AttributeDefinition(name = "TLS key store type", description = "PKCS12 or JKS.")
    String tls_keyStoreType() default "PKCS12";

    /**
     * Returns the key store's password: the private property {@code .tls.keyStorePassword} (a leading dot), which
     * Declarative Services never copies into service properties.
     *
     * @return the password, also the key's
     */
    @AttributeDefinition(
            name = "TLS key store password",
            description =
                    "The key store's password, also its"
                            + " key's. A private property (.tls.keyStorePassword); $[secret:file] reads it from a file in etc/.",
            type = AttributeType.PASSWORD)
    String _tls_keyStorePassword() default "";

    /**
     * Returns the file holding the key store's password, instead of {@link #_tls_keyStorePassword()}: ConfigAdmin
     * (and so {@code config:list}) then holds only the file's path.
     *
     * @return a path, relative ones against {@code karaf.etc}; empty for none
     */
    @AttributeDefinition(
            name = "TLS key store password file",
            description = "A file holding the key store's"
                    + " password (one trailing line break is ignored), instead of .tls.keyStorePassword; relative paths resolve"
                    + " like the key store's. The console shows only this path.")
    String tls_keyStorePasswordFile() default "";

    /**
     * Returns the trust store.
     *
     * @return a path; required with a key store
     */
    @AttributeDefinition(
            name = "TLS trust store",
            description =
                    "The certificates (or their issuers) of the"
                            + " members this member accepts; required with a key store. Relative paths resolve like the key store's.")
    String tls_trustStore() default "";

    /**
     * Returns the trust store's type.
     *
     * @return a key store type
     */
    @AttributeDefinition(name = "TLS trust store type", description = "PKCS12 or JKS.")
    String tls_trustStoreType() default "PKCS12";

    /**
     * Returns the trust store's password: the private property {@code .tls.trustStorePassword}.
     *
     * @return the password
     */
    @AttributeDefinition(
            name = "TLS trust store password",
            description = "The trust store's password. A private"
                    + " property (.tls.trustStorePassword); $[secret:file] reads it from a file in etc/.",
            type = AttributeType.PASSWORD)
    String _tls_trustStorePassword() default "";

    /**
     * Returns the file holding the trust store's password, instead of {@link #_tls_trustStorePassword()}.
     *
     * @return a path, relative ones against {@code karaf.etc}; empty for none
     */
    @AttributeDefinition(
            name = "TLS trust store password file",
            description = "A file holding the trust store's"
                    + " password, instead of .tls.trustStorePassword; relative paths resolve like the key store's.")
    String tls_trustStorePasswordFile() default "";
}
