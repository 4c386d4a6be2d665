package dev.spool.raft.sim;

import dev.spool.api.spi.raft.RaftMessage;
import java.util.List;

/**
 * A message on the simulated network with what the transport attaches to it: the records of an AppendEntries, the
 * snapshot an InstallSnapshot chunk is cut from.
 *
 * @param message the Raft message
 * @param entries the attached records, in index order (empty if none)
 * @param snapshot the snapshot the chunk belongs to, or {@code null}
 */
public record Envelope(RaftMessage message, List<SimEntry> entries, SimSnapshot snapshot) {}
