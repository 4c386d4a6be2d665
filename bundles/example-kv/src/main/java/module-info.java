/**
 * An example Spool application: a replicated key-value map served by the Raft group named {@code default}, with
 * {@code kv:*} console commands (Karaf shell actions, found through the bundle header {@code Karaf-Commands}).
 */
module dev.spool.example.kv {
    requires dev.spool.api;
    requires static org.osgi.annotation.bundle;
    requires static org.osgi.annotation.versioning;
    requires static org.osgi.service.component.annotations;
    requires static org.apache.karaf.shell.core;

    exports dev.spool.example.kv;
}
