/**
 * Bundle SPI (an application never imports it): the contract between Raft groups and the network transport. A
 * {@link ReplicationStreamer} carries a group's Raft messages to its peers, with AppendEntries carrying journal
 * records exactly as they lie in the leader's journal, and delivers what arrives to the group's {@link GroupInbox}.
 */
@Export
@Version("0.1.0")
package dev.spool.api.spi.replication;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
