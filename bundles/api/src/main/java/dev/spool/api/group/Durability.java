package dev.spool.api.group;

/**
 * How far a journal goes to keep what was appended to it.
 *
 * <p>Whatever the level, entries appended as always-durable (cluster membership) are forced to disk together with
 * everything before them, and the term and vote in a term store are always forced.
 */
public enum Durability {
    /**
     * Never force. Entries live in the page cache through the memory mapping: a process crash loses nothing written,
     * a power loss or kernel crash may lose the unforced tail. A member whose {@code NONE} journal outlived a machine
     * restart has a suspect log (the journal says so).
     */
    NONE,
    /**
     * Force at every flush point: one force covers every append since the previous one
     * (group commit), so what a flush point reports is on stable storage.
     */
    SYNC
}
