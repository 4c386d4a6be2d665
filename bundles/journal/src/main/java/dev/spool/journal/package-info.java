/**
 * The memory-mapped segmented journal as a plain-Java entry point: {@link dev.spool.journal.MappedJournalService}.
 * In OSGi the same engine is published as a {@code JournalService} component configured by the PID
 * {@code dev.spool.journal}.
 */
@Export
@Version("0.1.0")
package dev.spool.journal;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
