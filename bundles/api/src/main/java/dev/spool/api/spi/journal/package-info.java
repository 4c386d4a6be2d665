/**
 * Bundle SPI (an application never imports it): the replicated log's storage, a journal of entries addressed by a
 * growing 64-bit index, kept in rolling memory-mapped segment files, and the durable term and vote of a member.
 */
@Export
@Version("0.1.0")
package dev.spool.api.spi.journal;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
