/**
 * The contracts of Spool. Applications and every implementation bundle depend on this module only;
 * implementations meet each other through these types and the OSGi service registry.
 */
module dev.spool.api {
    requires static org.osgi.annotation.bundle;
    requires static org.osgi.annotation.versioning;

    exports dev.spool.api.cluster;
    exports dev.spool.api.codec;
    exports dev.spool.api.group;
    exports dev.spool.api.health;
    exports dev.spool.api.journal;
    exports dev.spool.api.raft;
    exports dev.spool.api.replication;
    exports dev.spool.api.snapshot;
}
