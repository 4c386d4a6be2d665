package dev.spool.api.group;

/**
 * The proposal's payload cannot be appended as it is: encoded it exceeds the largest entry the group forwards, or
 * the leader it was forwarded to could not decode it (the members run incompatible payload codecs). Nothing was
 * appended, and sending the same payload again fails the same way.
 */
public final class RejectedException extends RaftGroupException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what was refused and why, naming the group
     */
    public RejectedException(String message) {
        super(message);
    }

    /** @return {@code false}: the same payload is refused again */
    @Override
    public boolean isRetryable() {
        return false;
    }
}
