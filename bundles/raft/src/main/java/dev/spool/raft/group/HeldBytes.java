package dev.spool.raft.group;

import dev.spool.api.spi.journal.RawRecords;
import dev.spool.api.spi.replication.ReceivedBytes;

/**
 * The peer's bytes a slot or an intake request may hold instead of a payload object: the records of a received
 * AppendEntries ({@link RawRecords}, every slot of their range points at the same view) or the payload of a proposal
 * a follower forwarded ({@link ReceivedBytes}). Whoever ends such an entry's way through the pipeline — the log task
 * once it wrote it, the core when it drops it, the stopping thread — releases what it holds; releasing is idempotent,
 * so a path that cannot tell whether another one released already releases again (docs/raft-actor.md, "Ownership").
 */
final class HeldBytes {

    private HeldBytes() {
    }

    /** Tells whether a slot's or request's payload is a peer's bytes rather than an application object. */
    static boolean isHeld(Object payload) {
        return payload instanceof RawRecords || payload instanceof ReceivedBytes;
    }

    /** Releases {@code payload} if it is a peer's bytes; does nothing to an application object. */
    static void release(Object payload) {
        if (payload instanceof RawRecords records) {
            records.release();
        } else if (payload instanceof ReceivedBytes bytes) {
            bytes.release();
        }
    }
}
