package dev.spool.api.group;

/**
 * The proposal names a client session the group does not remember: the session went longer than the group's
 * session idle timeout without a proposal, or was the least recently used when the group held its most sessions,
 * or it was never opened here. Entered in the log, but not applied. Whether an earlier attempt of the same proposal
 * was applied before the session was forgotten is not known: the client finds out from the state (a read), then
 * continues in a new session ({@link RaftGroup#openSession()}, sequence numbers from 1).
 */
public final class SessionExpiredException extends RaftGroupException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what happened, naming the group, the session and the entry
     */
    public SessionExpiredException(String message) {
        super(message);
    }

    /** @return {@code false}: the session is gone for good; a new session is needed */
    @Override
    public boolean isRetryable() {
        return false;
    }
}
