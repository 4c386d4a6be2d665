package dev.spool.api.group;

/**
 * Why a proposal, read or administrative request of a {@link RaftGroup} did not succeed. The subclass says what the
 * caller may do about it: {@link #isRetryable()} tells whether the same request may succeed if sent again later
 * (to the same member or, for {@link NotLeaderException}, to the leader).
 */
public abstract sealed class RaftGroupException extends Exception
        permits BusyException,
                NotLeaderException,
                OutcomeUnknownException,
                RejectedException,
                ResultUnknownException,
                SessionExpiredException,
                StorageUnavailableException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what happened, naming the group
     */
    protected RaftGroupException(String message) {
        super(message);
    }

    /**
     * Tells whether sending the same request again may succeed. A proposal retried after an
     * {@link OutcomeUnknownException} may be applied twice unless it is made in a client session.
     *
     * @return whether a retry is meaningful
     */
    public abstract boolean isRetryable();
}
