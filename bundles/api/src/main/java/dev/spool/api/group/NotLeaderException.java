package dev.spool.api.group;

import java.util.Optional;

/** This member does not lead the group: nothing was appended. Send the request to {@link #leaderId()}, if known. */
public final class NotLeaderException extends RaftGroupException {

    private static final long serialVersionUID = 1L;

    private final String leaderId;

    /**
     * Creates an exception.
     *
     * @param group the group's name
     * @param leaderId the member this one believes leads, or {@code null} if it knows none (an election is running)
     */
    public NotLeaderException(String group, String leaderId) {
        super("this member does not lead group " + group
                + (leaderId == null ? "; no leader is known" : "; the leader is " + leaderId));
        this.leaderId = leaderId;
    }

    /**
     * Returns the leader this member knows of.
     *
     * @return the leader's member id, empty while no leader is known
     */
    public Optional<String> leaderId() {
        return Optional.ofNullable(leaderId);
    }

    /** @return {@code true}: nothing was appended; retry on the leader, or here once a leader is known */
    @Override
    public boolean isRetryable() {
        return true;
    }
}
