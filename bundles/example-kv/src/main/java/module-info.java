/** An example Spool application: a replicated key-value map served by the Raft group named {@code default}. */
module dev.spool.example.kv {
    requires dev.spool.api;
    requires static org.osgi.annotation.bundle;
    requires static org.osgi.annotation.versioning;
    requires static org.osgi.service.component.annotations;

    exports dev.spool.example.kv;
}
