package dev.spool.api.group;

/**
 * Learns the outcome of one proposal: exactly one of its methods is called, exactly once per proposal. One callback
 * object may serve many proposals, one after another or at once (the group keeps no state in it and allocates
 * nothing for it), which is how a client proposes without allocating per call.
 *
 * <p>Threads: {@link #applied} runs on the group's apply thread; {@link #failed} on the group's core thread, or on
 * the proposing thread when the proposal is refused at once. A proposal a follower forwarded to the leader completes
 * on the follower's core thread, in both cases. Both share their thread with every group of the
 * member: they must return quickly, must not block, and must not propose with a waiting deadline.
 *
 * <p>What a callback throws on a group thread is logged and otherwise ignored: the group goes on, and the outcome is
 * not reported again. What it throws on the proposing thread reaches the proposer.
 */
public interface ProposalCallback {

    /**
     * The entry committed and the state machine applied it.
     *
     * @param index the entry's index in the log
     * @param result what {@link StateMachine#apply} returned for it (for a duplicate of a session's last proposal,
     *     what it returned the first time, or {@code null} if the member restarted since: results are not part of
     *     snapshots; {@code null} too for a proposal forwarded to the leader whose entry this member took in with a
     *     snapshot it installed rather than by applying it)
     */
    void applied(long index, Object result);

    /**
     * The proposal did not succeed.
     *
     * @param error why; {@link RaftGroupException#isRetryable()} tells whether sending it again may succeed
     */
    void failed(RaftGroupException error);
}
