/**
 * The contract between Raft groups and the network transport: a {@link dev.spool.api.replication.ReplicationStreamer}
 * carries a group's Raft messages to its peers, with AppendEntries carrying journal records exactly as they lie in
 * the leader's journal, and delivers what arrives to the group's {@link dev.spool.api.replication.GroupInbox}.
 */
@Export
@Version("0.4.0")
package dev.spool.api.replication;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
