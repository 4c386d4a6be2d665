/**
 * Spool's console commands ({@code spool:*}): Karaf shell actions over this member's {@code RaftGroup} services,
 * found by Karaf through the bundle header {@code Karaf-Commands}. Exports nothing; the commands' base and
 * completers live in the commands' package so further commands there reuse them.
 */
module dev.spool.shell {
    requires dev.spool.api;
    requires static org.apache.karaf.shell.core;
    requires static org.osgi.annotation.bundle;
    requires static org.osgi.annotation.versioning;
}
