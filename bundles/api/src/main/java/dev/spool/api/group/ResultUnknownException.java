package dev.spool.api.group;

/**
 * The proposal repeats one its session already had applied, whose result the group no longer holds: a member keeps
 * only the result of each session's last proposal, and only in memory, so the result of an entry applied before the
 * member restarted (or installed a snapshot) is gone. The proposal is not applied again. Unlike an
 * {@link OutcomeUnknownException} the outcome is known (applied, at the entry the message names); only its result is
 * not. A client that needs it reads the state.
 */
public final class ResultUnknownException extends RaftGroupException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what happened, naming the group, the session and the entry that applied the proposal
     */
    public ResultUnknownException(String message) {
        super(message);
    }

    /** @return {@code false}: a retry meets the same duplicate */
    @Override
    public boolean isRetryable() {
        return false;
    }
}
