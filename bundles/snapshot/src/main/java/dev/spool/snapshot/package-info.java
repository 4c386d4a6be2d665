/**
 * The file-based snapshot store, for use from plain Java: {@link dev.spool.snapshot.FileSnapshotStore}. In an OSGi
 * framework the bundle publishes the same store as a {@link dev.spool.api.spi.snapshot.SnapshotStore} service,
 * configured by the PID {@code dev.spool.snapshot}.
 */
@Export
@Version("0.1.0")
package dev.spool.snapshot;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
