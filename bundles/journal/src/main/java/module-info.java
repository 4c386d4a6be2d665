/** The memory-mapped segmented journal of Spool, published as a {@code JournalService} component. */
module dev.spool.journal {
    requires transitive dev.spool.api;
    requires jdk.unsupported;
    requires static osgi.core;
    requires static org.osgi.annotation.bundle;
    requires static org.osgi.annotation.versioning;
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.service.metatype.annotations;

    exports dev.spool.journal;
}
