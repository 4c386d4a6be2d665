package dev.spool.snapshot.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** The configuration of the snapshot store, PID {@code dev.spool.snapshot}. */
@ObjectClassDefinition(
        id = SnapshotStoreComponent.PID,
        name = "Spool snapshot store",
        description = "Where and how Raft groups keep their state machine snapshots.")
public @interface SnapshotStoreConfig {

    /**
     * Returns the base directory.
     *
     * @return the directory; a relative path is resolved against the karaf.data system property when it is set
     */
    @AttributeDefinition(
            name = "Base directory",
            description = "Directory of the groups' snapshot directories. A relative path is resolved against the "
                    + "karaf.data system property when it is set, else against the working directory.")
    String baseDirectory() default "spool/snapshots";

    /**
     * Returns the retention.
     *
     * @return how many valid snapshots each group keeps
     */
    @AttributeDefinition(
            name = "Retain",
            description = "How many valid snapshots each group keeps, at least 1. The only valid snapshot is never "
                    + "deleted.",
            min = "1")
    int retain() default 2;

    /**
     * Returns the compression of new snapshots.
     *
     * @return NONE or LZ4
     */
    @AttributeDefinition(
            name = "Compression",
            description = "How new snapshots are encoded. Existing snapshots stay readable after a change.",
            options = {@Option(label = "None", value = "NONE"), @Option(label = "LZ4 blocks", value = "LZ4")})
    String compression() default "NONE";
}
