package dev.spool.api.group;

/**
 * The group's bounded intake stayed full until the proposal's deadline: nothing was appended. Retry later, with
 * back-off; the group pushes back instead of queueing without limit.
 */
public final class BusyException extends RaftGroupException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what was full, naming the group
     */
    public BusyException(String message) {
        super(message);
    }

    /** @return {@code true}: nothing was appended, the request may be sent again */
    @Override
    public boolean isRetryable() {
        return true;
    }
}
