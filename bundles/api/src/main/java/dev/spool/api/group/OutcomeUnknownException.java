package dev.spool.api.group;

/**
 * The proposal was appended, but this member lost leadership before the entry committed: a new leader may still
 * commit it, or may have dropped it. Only a client session makes a retry safe (the group applies a session's
 * sequence number at most once).
 */
public final class OutcomeUnknownException extends RaftGroupException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what happened, naming the group and the entry's index
     */
    public OutcomeUnknownException(String message) {
        super(message);
    }

    /** @return {@code false}: a retry outside a client session may apply the payload twice */
    @Override
    public boolean isRetryable() {
        return false;
    }
}
