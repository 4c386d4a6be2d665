/**
 * Bundle SPI (an application never imports it).
 * The contract between Raft groups and the network transport: a {@link dev.spool.api.spi.replication.ReplicationStreamer}
 * carries a group's Raft messages to its peers, with AppendEntries carrying journal records exactly as they lie in
 * the leader's journal, and delivers what arrives to the group's {@link dev.spool.api.spi.replication.GroupInbox}.
 */
@Export
@Version("0.1.0")
package dev.spool.api.spi.replication;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
