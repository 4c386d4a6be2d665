package dev.spool.raft.core;

/**
 * What an entry of the log is. The core never decodes payloads: it tells the actor the kind of every entry it
 * creates (see {@link LogCommand}), and the actor stores the kind in the entry's payload envelope.
 */
public enum EntryKind {
    /** An application payload proposed by a client. */
    NORMAL(0),
    /** The empty entry a new leader appends when it takes office, to commit earlier terms' entries (§5.4.2). */
    NOOP(1),
    /** A membership change; always durable, whatever the journal's durability. */
    MEMBERSHIP(2);

    private static final EntryKind[] BY_CODE = {NORMAL, NOOP, MEMBERSHIP};

    private final byte code;

    EntryKind(int code) {
        this.code = (byte) code;
    }

    /** @return the kind's code, as an entry's envelope stores it */
    public byte code() {
        return code;
    }

    /**
     * @param code a stored code
     * @return the kind with that code, or {@code null} if none has it
     */
    public static EntryKind of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
