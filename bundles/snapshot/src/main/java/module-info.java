/** Spool's snapshot store: streaming, checksummed, atomically published snapshots, readable in chunks. */
module dev.spool.snapshot {
    requires dev.spool.api;
    // lz4-java is an automatic module (Automatic-Module-Name in its manifest).
    requires org.lz4.java;
    requires static org.osgi.annotation.bundle;
    requires static org.osgi.annotation.versioning;
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.service.metatype.annotations;

    exports dev.spool.snapshot;
}
