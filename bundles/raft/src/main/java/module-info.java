/**
 * Spool's Raft actor: a deterministic Raft core driven by an allocation-free pipeline, published as one
 * {@code RaftGroup} service per configured group. Exports nothing: applications use the api's contracts.
 */
module dev.spool.raft {
    requires dev.spool.api;
    requires static org.osgi.annotation.bundle;
    requires static org.osgi.annotation.versioning;
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.service.metatype.annotations;
}
