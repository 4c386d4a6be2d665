package dev.spool.api.group;

/**
 * A storage service the group needs (journal or snapshot store) is not bound, or the group failed to recover from
 * it: nothing was appended. The group resumes by itself when the service returns.
 */
public final class StorageUnavailableException extends RaftGroupException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what is missing, naming the group
     */
    public StorageUnavailableException(String message) {
        super(message);
    }

    /** @return {@code true}: nothing was appended; retry once the group is available again */
    @Override
    public boolean isRetryable() {
        return true;
    }
}
