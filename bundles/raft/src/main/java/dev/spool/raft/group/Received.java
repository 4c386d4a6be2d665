package dev.spool.raft.group;

import dev.spool.api.journal.RawRecords;
import dev.spool.api.raft.RaftMessage;
import java.nio.ByteBuffer;

/**
 * A message a peer sent, with what was attached to it, waiting in the group's bounded inbox for the core agent.
 *
 * @param message the message
 * @param records the records an AppendEntries carries, owned by the group until released; {@code null} otherwise
 * @param chunk a copy of the bytes an InstallSnapshot chunk carries; {@code null} otherwise
 */
record Received(RaftMessage message, RawRecords records, ByteBuffer chunk) {
}
