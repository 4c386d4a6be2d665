package dev.spool.journal.internal.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** The configuration of the journal service, PID {@code dev.spool.journal}. Every property has a working default. */
@ObjectClassDefinition(
        id = JournalConfiguration.PID,
        name = "Spool journal",
        description = "Where and how the memory-mapped journals and term stores of this member are stored.")
public @interface JournalConfiguration {
    /** The configuration PID. */
    String PID = "dev.spool.journal";

    /**
     * Returns the base directory.
     *
     * @return the base directory; relative paths resolve against {@code karaf.data}, else the working directory
     */
    @AttributeDefinition(
            name = "Base directory",
            description = "Directory holding one sub-directory per journal"
                    + " and the term stores. A relative path resolves against the karaf.data system property when set, else"
                    + " against the working directory.")
    String baseDirectory() default "spool/journal";

    /**
     * Returns the segment size.
     *
     * @return bytes per segment file
     */
    @AttributeDefinition(
            name = "Segment size",
            description = "Size in bytes of each segment file, allocated in" + " full before use: 65536 to 1073741824.",
            min = "65536",
            max = "1073741824")
    int segmentSize() default 67108864;

    /**
     * Returns the maximum entry size.
     *
     * @return the largest payload in bytes
     */
    @AttributeDefinition(
            name = "Maximum entry size",
            description = "Largest entry payload in bytes; must leave"
                    + " room for the segment and record headers within one segment.",
            min = "1")
    int maxEntrySize() default 16777216;

    /**
     * Returns the durability.
     *
     * @return {@code NONE} or {@code SYNC}
     */
    @AttributeDefinition(
            name = "Durability",
            description = "NONE never forces (a process crash loses nothing, a"
                    + " power loss may); SYNC forces at every flush point, many appends sharing one force.",
            options = {@Option(label = "NONE", value = "NONE"), @Option(label = "SYNC", value = "SYNC")})
    String durability() default "SYNC";

    /**
     * Returns the free-space floor.
     *
     * @return bytes that must remain free
     */
    @AttributeDefinition(
            name = "Free space floor",
            description = "Bytes of free space that must remain on the"
                    + " file system; appends needing a new segment file are refused below it (a kept compacted file is still"
                    + " reused).",
            min = "0")
    long freeSpaceFloor() default 268435456L;
}
