package dev.spool.raft.group;

import dev.spool.api.spi.journal.RawRecords;
import dev.spool.api.spi.raft.RaftMessage;
import dev.spool.api.spi.replication.ReceivedBytes;

/**
 * A message a peer sent, with what was attached to it, waiting in the group's bounded inbox for the core agent.
 *
 * @param message the message
 * @param records the records an AppendEntries carries, owned by the group until released; {@code null} otherwise
 * @param chunk the bytes an InstallSnapshot chunk carries, owned by the group until released (once stored or
 *     dropped); {@code null} otherwise
 */
record Received(RaftMessage message, RawRecords records, ReceivedBytes chunk) {

    /** @return the message without its records, once their slots own them (the log agent releases them) */
    Received withoutRecords() {
        return new Received(message, null, chunk);
    }

    /** Releases what the message still holds: it was not appended, stored, or it is dropped. Idempotent. */
    void release() {
        if (records != null) {
            records.release();
        }
        if (chunk != null) {
            chunk.release();
        }
    }
}
