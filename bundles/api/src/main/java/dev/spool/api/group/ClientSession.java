package dev.spool.api.group;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A client session (Raft dissertation, section 6.3): an id and increasing sequence numbers that let a client retry
 * a proposal whose outcome it does not know without the state machine applying it twice. The group remembers, per
 * session, the highest sequence number applied and its result: a proposal whose sequence number is not above it is
 * not applied again, and a duplicate of the last one reports the first result.
 *
 * <p>A client proposes each sequence number until it learns an outcome (retrying the same number after an
 * {@link OutcomeUnknownException}), and moves to the next only then: one outstanding proposal per session.
 *
 * <p>Thread-safe.
 */
public final class ClientSession {

    private final long id;
    private final AtomicLong lastSequence = new AtomicLong();

    /**
     * Creates a session.
     *
     * @param id the session's id, unique within the group and not 0 (0 means "no session")
     * @throws IllegalArgumentException if {@code id} is 0
     */
    public ClientSession(long id) {
        if (id == 0) {
            throw new IllegalArgumentException("session id 0 is reserved for proposals outside a session");
        }
        this.id = id;
    }

    /** @return the session's id */
    public long id() {
        return id;
    }

    /**
     * Returns the next sequence number, for a new proposal (a retry reuses the number it was first sent with).
     *
     * @return 1 for the first proposal, then increasing by one
     */
    public long nextSequence() {
        return lastSequence.incrementAndGet();
    }

    @Override
    public String toString() {
        return "session " + Long.toHexString(id);
    }
}
