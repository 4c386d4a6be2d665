package dev.spool.itests.cluster.member;

/** Requests the group was given got no outcome (neither success nor failure) within their {@link RequestDeadline}. */
public final class NoOutcomeException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which requests, and the deadline they missed
     */
    public NoOutcomeException(String message) {
        super(message);
    }
}
