package dev.spool.replication;

/**
 * How much one group may have in flight on a connection, and how much a connection may hold unsent.
 *
 * <p>The window is granted by the receiver, per group, in credit: a group's AppendEntries and InstallSnapshot
 * frames spend it and the receiver grants it back as its group releases the records, so a group whose follower
 * falls behind stops its own sender without holding up the other groups on the connection, and no member holds more
 * received bulk frames than the windows it granted (or, for a frame larger than the window, that one frame). The
 * Raft core's own in-flight window must fit within it with room for the credit released but not yet granted back
 * (up to a quarter of the window), or its AppendEntries are dropped for want of credit and wait for a retransmission.
 *
 * @param entries the most records of one group in flight to one peer (an InstallSnapshot chunk counts as one)
 * @param bytes the most frame bytes of one group's AppendEntries and InstallSnapshot frames in flight to one peer
 * @param sendBufferBytes the most bytes a connection holds unsent before messages to its peer are dropped (Raft
 *     retransmits); bounds the small messages too, which spend no credit
 */
public record FlowWindow(int entries, int bytes, int sendBufferBytes) {

    /**
     * 8,192 entries and 16 MiB per group, 8 MiB unsent per connection. The Raft core keeps at most 8 AppendEntries
     * of at most 256 entries and 1 MiB in flight per follower (2,048 entries, 8 MiB): with a quarter of the window
     * waiting to be granted back, 6,144 entries and 12 MiB remain, enough for the core's whole window.
     */
    public static final FlowWindow DEFAULT = new FlowWindow(8192, 16 << 20, 8 << 20);

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
