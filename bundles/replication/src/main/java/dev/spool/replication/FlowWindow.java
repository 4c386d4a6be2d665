package dev.spool.replication;

/**
 * How much one group may have in flight on a connection, and how much a connection may hold unsent.
 *
 * <p>The window is granted by the receiver, per group, in credit: a group's AppendEntries and InstallSnapshot
 * frames spend it and the receiver grants it back as its group takes the records on, so a group whose follower
 * falls behind stops its own sender without holding up the other groups on the connection, and no member buffers
 * more than the windows it granted.
 *
 * @param entries the most records of one group in flight to one peer
 * @param bytes the most frame bytes of one group's AppendEntries and InstallSnapshot frames in flight to one peer
 * @param sendBufferBytes the most bytes a connection holds unsent before messages to its peer are dropped (Raft
 *     retransmits); bounds the small messages too, which spend no credit
 */
public record FlowWindow(int entries, int bytes, int sendBufferBytes) {

    /** 8,192 entries and 4 MiB per group, 8 MiB unsent per connection. */
    public static final FlowWindow DEFAULT = new FlowWindow(8192, 4 << 20, 8 << 20);

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming the value that is not positive
     */
    public FlowWindow {
        if (entries < 1) {
            throw new IllegalArgumentException("window in entries must be positive: " + entries);
        }
        if (bytes < 1) {
            throw new IllegalArgumentException("window in bytes must be positive: " + bytes);
        }
        if (sendBufferBytes < 1) {
            throw new IllegalArgumentException("send buffer must be positive: " + sendBufferBytes);
        }
    }
}
