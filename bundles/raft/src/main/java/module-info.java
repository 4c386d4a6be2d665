/** Spool's Raft actor: a deterministic Raft core driven by an allocation-free pipeline. */
module dev.spool.raft {
    requires dev.spool.api;
    requires static org.osgi.annotation.bundle;
    requires static org.osgi.annotation.versioning;
}
