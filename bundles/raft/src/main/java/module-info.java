/**
 * Spool's Raft actor: a deterministic Raft core driven by an allocation-free pipeline, published as one
 * {@code RaftGroup} service per configured group. Exports nothing: applications use the api's contracts; the MXBean
 * interfaces are open to the platform's JMX introspection only.
 */
module dev.spool.raft {
    requires dev.spool.api;
    requires java.management;
    requires static osgi.core;
    requires static org.osgi.service.component;
    requires static org.apache.karaf.shell.core;
    requires static org.osgi.annotation.bundle;
    requires static org.osgi.annotation.versioning;
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.service.metatype.annotations;

    exports dev.spool.raft.internal.jmx to
            java.management;
}
