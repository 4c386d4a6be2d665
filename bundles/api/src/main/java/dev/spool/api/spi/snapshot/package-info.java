/**
 * Bundle SPI (an application never imports it): snapshots of a Raft group's state machine, written as a stream,
 * published atomically, found again after a crash, read as a stream or in positioned chunks, and received chunk by
 * chunk from a leader.
 */
@Export
@Version("0.1.0")
package dev.spool.api.spi.snapshot;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
