/**
 * The contracts of Spool. Applications and every implementation bundle depend on this module only;
 * implementations meet each other through these types and the OSGi service registry.
 *
 * <p>Two layers, each package exported and versioned on its own: the application contract
 * ({@code dev.spool.api.group}, {@code codec}, {@code cluster}, {@code health}), all an application compiles
 * against, and the bundle SPI under {@code dev.spool.api.spi}, through which the implementation bundles meet. The SPI
 * uses the contract's types, never the other way round.
 */
module dev.spool.api {
    requires static org.osgi.annotation.bundle;
    requires static org.osgi.annotation.versioning;

    exports dev.spool.api.cluster;
    exports dev.spool.api.codec;
    exports dev.spool.api.group;
    exports dev.spool.api.health;
    exports dev.spool.api.spi.codec;
    exports dev.spool.api.spi.journal;
    exports dev.spool.api.spi.raft;
    exports dev.spool.api.spi.replication;
    exports dev.spool.api.spi.snapshot;
}
