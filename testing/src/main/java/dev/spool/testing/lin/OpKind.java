package dev.spool.testing.lin;

/** The operations of the register-per-key model the linearizability checker understands. */
public enum OpKind {
    /** Returns the key's current value. */
    READ,
    /** Sets the key's value unconditionally. */
    WRITE,
    /** Sets the key's value to {@code input} if it currently equals {@code expected}. */
    CAS
}
