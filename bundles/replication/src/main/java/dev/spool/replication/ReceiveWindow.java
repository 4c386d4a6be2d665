package dev.spool.replication;

import dev.spool.replication.link.ProtocolViolationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The window one group of this member grants one peer on one connection. Opening it grants the whole window; each
 * bulk frame received is charged against the credit the peer holds, and a frame beyond it is a protocol violation;
 * what the group releases is granted back, in batches: once a quarter of the window (in entries or bytes) waits,
 * or as soon as the group holds nothing more, so a sender that waits for credit is never left waiting for a grant.
 *
 * <p>Threads: the connection's event loop opens, admits and grants; any thread releases (the group's log task).
 */
final class ReceiveWindow {

    private final String group;
    private final PeerConnection connection;
    private final long window;
    private final int grantEntries;
    private final int grantBytes;
    private final AtomicLong held = new AtomicLong();
    private final AtomicLong released = new AtomicLong();
    private final AtomicBoolean grantScheduled = new AtomicBoolean();
    private final Runnable grant = this::grantReleased;
    /** What the peer may still send, as far as this member knows; the event loop's alone. */
    private long peerCredit;

    ReceiveWindow(String group, PeerConnection connection, FlowWindow window) {
        this.group = group;
        this.connection = connection;
        this.window = Credits.of(window.entries(), window.bytes());
        this.grantEntries = Math.max(1, window.entries() / 4);
        this.grantBytes = Math.max(1, window.bytes() / 4);
    }

    /** Grants the peer the whole window. */
    void open() {
        peerCredit = window;
        connection.sendCredit(group, window);
    }

    /**
     * Charges a received bulk frame against the peer's credit, by the rule the sender follows ({@link SendCredit}).
     *
     * @param entries the frame's entries (a snapshot chunk counts as one)
     * @param bytes the frame's size
     * @return the charge, to be {@linkplain #release released} when the group is done with the frame
     * @throws ProtocolViolationException if the peer sent beyond its credit
     */
    long admit(int entries, int bytes) throws ProtocolViolationException {
        final long charge;
        if (entries <= Credits.entries(peerCredit) && bytes <= Credits.bytes(peerCredit)) {
            charge = Credits.of(entries, bytes);
        } else if (peerCredit == window) {
            charge = window;
        } else {
            throw new ProtocolViolationException(
                    "group " + group + ": a frame of " + Credits.toString(Credits.of(entries, bytes))
                            + " overruns the credit of " + Credits.toString(peerCredit) + " left");
        }
        peerCredit -= charge;
        held.addAndGet(charge);
        return charge;
    }

    /**
     * Gives back what a frame was charged, once the group released it; grants it back when enough waits.
     *
     * @param charge what {@link #admit} charged
     */
    void release(long charge) {
        final long waiting = released.addAndGet(charge);
        final long stillHeld = held.addAndGet(-charge);
        if ((stillHeld == 0 || Credits.entries(waiting) >= grantEntries || Credits.bytes(waiting) >= grantBytes)
                && grantScheduled.compareAndSet(false, true)) {
            connection.execute(grant);
        }
    }

    private void grantReleased() {
        // Cleared before taking: a release that finds it set is taken by the line below.
        grantScheduled.set(false);
        final long granted = released.getAndSet(0);
        if (granted != 0) {
            peerCredit += granted;
            connection.sendCredit(group, granted);
        }
    }
}
