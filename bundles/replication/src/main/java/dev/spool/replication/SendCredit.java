package dev.spool.replication;

import dev.spool.replication.link.ProtocolViolationException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one group may still send to one peer over one connection: the credit the peer granted for the group's bulk
 * frames, in entries and frame bytes, minus what the group sent since. The peer's first grant is its whole window;
 * a frame larger than the credit left may go only while the credit is the whole window (nothing in flight), and
 * then takes all of it, so an AppendEntries larger than the window still goes, alone.
 *
 * <p>Threads: the group's sending thread spends, the connection's event loop grants.
 */
final class SendCredit {

    private final AtomicLong credit = new AtomicLong();
    /** The peer's first grant, its whole window; 0 until it arrived. */
    private volatile long window;

    /**
     * Spends credit for one bulk frame, if there is enough.
     *
     * @param entries the frame's entries (a snapshot chunk counts as one)
     * @param bytes the frame's size
     * @return whether the frame may be sent
     */
    boolean trySpend(int entries, int bytes) {
        final long whole = window;
        while (true) {
            final long left = credit.get();
            final long charge;
            if (entries <= Credits.entries(left) && bytes <= Credits.bytes(left)) {
                charge = Credits.of(entries, bytes);
            } else if (left == whole && whole != 0) {
                charge = whole;
            } else {
                return false;
            }
            if (credit.compareAndSet(left, left - charge)) {
                return true;
            }
        }
    }

    /**
     * Adds a grant.
     *
     * @param group the group, for the error
     * @param entries the entries granted, positive
     * @param bytes the bytes granted, positive
     * @throws ProtocolViolationException if the credit held would exceed {@code 2³¹ - 1} entries or bytes, more than
     *     any window
     */
    void grant(String group, int entries, int bytes) throws ProtocolViolationException {
        if (window == 0) {
            window = Credits.of(entries, bytes);
        }
        final long left = credit.get();
        if (entries > Integer.MAX_VALUE - Credits.entries(left) || bytes > Integer.MAX_VALUE - Credits.bytes(left)) {
            throw new ProtocolViolationException(
                    "group " + group + ": a grant of " + Credits.toString(Credits.of(entries, bytes)) + " on top of "
                            + Credits.toString(left) + " exceeds any window");
        }
        // Only this thread adds; a concurrent spend cannot make a half negative, so the sum stays in range.
        credit.addAndGet(Credits.of(entries, bytes));
    }
}
