/**
 * The network transport of Spool: {@link dev.spool.replication.NettyReplicationStreamer}, a
 * {@link dev.spool.api.spi.replication.ReplicationStreamer} that carries the Raft messages of a member's groups to its
 * peers over one TCP connection per member pair, in the wire format of {@code docs/wire-protocol.md}.
 */
@Export
@Version("0.1.0")
package dev.spool.replication;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
