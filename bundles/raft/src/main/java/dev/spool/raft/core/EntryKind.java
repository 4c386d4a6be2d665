package dev.spool.raft.core;

/**
 * What an entry of the log is. The core never decodes payloads: it tells the actor the kind of every entry it
 * creates (see {@link LogCommand}), and the actor stores the kind in the entry's payload envelope.
 */
public enum EntryKind {
    /** An application payload proposed by a client. */
    NORMAL,
    /** The empty entry a new leader appends when it takes office, to commit earlier terms' entries (§5.4.2). */
    NOOP,
    /** A membership change; always durable, whatever the journal's durability. */
    MEMBERSHIP
}
