/**
 * The replicated log's storage: a journal of entries addressed by a growing 64-bit index, kept in rolling
 * memory-mapped segment files, and the durable term and vote of a member.
 */
@Export
@Version("0.5.0")
package dev.spool.api.journal;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
