package dev.spool.raft.group;

import dev.spool.api.codec.PayloadCodec;
import dev.spool.api.group.BusyException;
import dev.spool.api.group.NotLeaderException;
import dev.spool.api.group.OutcomeUnknownException;
import dev.spool.api.group.ProposalCallback;
import dev.spool.api.group.RaftGroupException;
import dev.spool.api.group.ReadCallback;
import dev.spool.api.group.RejectedException;
import dev.spool.api.group.StorageUnavailableException;
import dev.spool.api.spi.codec.ByteBufferEntrySink;
import dev.spool.api.spi.raft.ForwardMessage;
import dev.spool.api.spi.raft.ForwardOutcome;
import dev.spool.api.spi.raft.ForwardProposal;
import dev.spool.api.spi.raft.ForwardResult;
import dev.spool.api.spi.raft.ReadIndexRequest;
import dev.spool.api.spi.raft.ReadIndexResponse;
import dev.spool.api.spi.replication.GroupLink;
import dev.spool.raft.core.RaftCore;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A follower's side of forwarding: sends the proposals and read barriers made on this member to the leader it knows,
 * and completes them when the leader answers. At most a fixed number of requests wait for answers (more are refused
 * with {@link BusyException}), in a preallocated table indexed by request id.
 *
 * <p>What the caller hears, and why it is always true:
 * <ul>
 * <li>a proposal the leader reports committed completes with its index once this member has applied that index
 *     (so a read here then sees it), with the result this member's state machine returned for it (results do
 *     not travel; a deterministic state machine computes the leader's);</li>
 * <li>a proposal whose answer does not come by its deadline, or whose leader changes (another leader, or a new
 *     term) before it answers, fails with {@link OutcomeUnknownException}: it may still commit, and only a client
 *     session makes a retry safe. A late answer finds no request and is ignored;</li>
 * <li>a request answered but not applied here by its deadline (this member is cut off from the leader's entries)
 *     fails with {@link OutcomeUnknownException} too: every request ends by its deadline;</li>
 * <li>a leader's refusal (not leader, busy, unavailable, undecodable payload) maps to the exception a local refusal
 *     gives; nothing was appended;</li>
 * <li>a read barrier passes once this member has applied the read index the leader confirmed with a quorum.</li>
 * </ul>
 * Request ids start at a random value at each start of the group, so an answer meant for an earlier start does not
 * find a request of this one — except across the restart that installs a snapshot, which {@link #takeOver takes over}
 * the waiting requests: an answer the leader sends meanwhile still finds its request, and a committed proposal the
 * snapshot covers completes once the restarted group applied past it.
 *
 * <p>Threads: the core agent only ({@link #stopped} by the thread stopping the group, once the agent is gone).
 *
 * @param <T> the payload type
 */
final class Forwarder<T> {

    /** One forwarded request waiting for the leader's answer, or for this member to apply what the answer names. */
    private static final class Pending {
        /** The request's id; 0 while the entry is free. */
        long requestId;

        ProposalCallback proposal;
        ReadCallback read;
        String leader;
        long term;
        long deadlineNanos;
        /** The index to apply before completing; -1 until the leader's successful answer. */
        long awaitedIndex = -1;

        boolean answered() {
            return awaitedIndex >= 0;
        }
    }

    private final String group;
    private final String memberId;
    private final PayloadCodec<T> codec;
    private final GroupLink link;
    private final Pipeline<T> pipeline;
    private final boolean enabled;
    private final long electionTimeoutNanos;
    private final ByteBufferEntrySink sink;
    private final Pending[] table;
    private final int mask;
    private long nextId;
    private int outstanding;
    private int answered;
    private long applied;

    /**
     * Creates the follower side of a group's forwarding.
     *
     * @param context the group's context: its settings (whether it forwards, how many requests may wait: its slot
     *     capacity), codec, journal (the largest payload forwarded is what it accepts), and the pipeline's pointers and
     *     results of applied entries
     * @param link the group's transport, {@code null} without one (nothing is forwarded then)
     * @param firstRequestId the first request id, positive and below {@code 2^62}
     */
    Forwarder(GroupContext<T> context, GroupLink link, long firstRequestId) {
        final GroupSettings settings = context.settings;
        final int maxPayloadBytes = context.journal.spec().maxEntrySize() - EntryEnvelope.MAX_HEADER_BYTES;
        this.group = settings.group();
        this.memberId = settings.memberId();
        this.codec = context.envelope.codec();
        this.link = link;
        this.pipeline = context.pipeline;
        this.enabled = settings.forwardToLeader() && link != null;
        this.electionTimeoutNanos = settings.electionTimeoutNanos();
        this.sink = new ByteBufferEntrySink(Math.min(4096, maxPayloadBytes), maxPayloadBytes);
        this.table = new Pending[settings.slotCapacity()];
        for (int i = 0; i < table.length; i++) {
            table[i] = new Pending();
        }
        this.mask = table.length - 1;
        this.nextId = firstRequestId;
    }

    /**
     * Takes over the requests waiting in {@code previous}, the forwarder of the group's start that a snapshot install
     * ended, before this one's agent runs: they go on waiting here, with their ids, leaders, terms and deadlines.
     * Completion then follows this start's applied index: an answered proposal at or below the installed snapshot
     * completes at once, with a {@code null} result (its entry came in with the snapshot, and results are not part
     * of snapshots).
     *
     * @param previous the stopped start's forwarder, whose agent no longer runs; empty afterwards
     */
    void takeOver(Forwarder<T> previous) {
        if (previous.table.length != table.length || outstanding != 0) {
            throw new IllegalStateException("group " + group + ": forwarded requests are taken over only by a new"
                    + " forwarder of the same capacity");
        }
        for (int i = 0; i < table.length; i++) {
            final Pending from = previous.table[i];
            final Pending to = table[i];
            to.requestId = from.requestId;
            to.proposal = from.proposal;
            to.read = from.read;
            to.leader = from.leader;
            to.term = from.term;
            to.deadlineNanos = from.deadlineNanos;
            to.awaitedIndex = from.awaitedIndex;
            from.requestId = 0;
            from.proposal = null;
            from.read = null;
            from.leader = null;
            from.awaitedIndex = -1;
        }
        outstanding = previous.outstanding;
        answered = previous.answered;
        nextId = previous.nextId;
        previous.outstanding = 0;
        previous.answered = 0;
    }

    /**
     * Tells whether a request this member cannot serve goes to the leader: forwarding is on, a transport is bound,
     * and another member is known to lead.
     */
    boolean canForward(RaftCore core) {
        final String leader = core.leaderId();
        return enabled
                && leader != null
                && !leader.equals(memberId)
                && GroupContext.member(core.membership(), leader) != null;
    }

    /**
     * Forwards a proposal to the leader; {@link #canForward} must hold.
     *
     * @param deadlineNanos the proposer's deadline; the answer is awaited at least one election timeout from now
     */
    void proposal(
            RaftCore core,
            T payload,
            ProposalCallback callback,
            long sessionId,
            long sequence,
            long deadlineNanos,
            long nowNanos) {
        if (outstanding == table.length) {
            Callbacks.failed(group, callback, busy());
            return;
        }
        final ByteBuffer bytes;
        try {
            sink.begin();
            codec.encode(payload, sink);
            bytes = sink.payload();
        } catch (IOException | RuntimeException e) {
            Callbacks.failed(
                    group,
                    callback,
                    new RejectedException("group " + group + ": the payload cannot be forwarded to the" + " leader: "
                            + e.getMessage()));
            return;
        }
        final long answerDeadline =
                deadlineNanos - (nowNanos + electionTimeoutNanos) > 0 ? deadlineNanos : nowNanos + electionTimeoutNanos;
        final Pending pending = claim(core, answerDeadline);
        pending.proposal = callback;
        final String leader = pending.leader;
        final var message = new ForwardProposal(
                memberId, leader, pending.term, pending.requestId, sessionId, sequence, bytes.remaining());
        if (!link.sendForwardedProposal(GroupContext.member(core.membership(), leader), message, bytes)) {
            release(pending);
            Callbacks.failed(group, callback, unreachable(leader));
        }
    }

    /** Asks the leader for a read index; {@link #canForward} must hold. */
    void read(RaftCore core, ReadCallback callback, long deadlineNanos) {
        if (outstanding == table.length) {
            Callbacks.failed(group, callback, busy());
            return;
        }
        final Pending pending = claim(core, deadlineNanos);
        pending.read = callback;
        final String leader = pending.leader;
        if (!link.send(
                GroupContext.member(core.membership(), leader),
                new ReadIndexRequest(memberId, leader, pending.term, pending.requestId))) {
            release(pending);
            Callbacks.failed(group, callback, unreachable(leader));
        }
    }

    /** Takes a leader's answer; an answer no waiting request expects (late, or from another member) is ignored. */
    void received(ForwardMessage answer) {
        final Pending pending = table[(int) (answer.requestId() & mask)];
        if (pending.requestId != answer.requestId()
                || pending.answered()
                || !answer.from().equals(pending.leader)) {
            return;
        }
        if (answer instanceof ForwardResult result && pending.proposal != null) {
            if (result.outcome() == ForwardOutcome.SUCCEEDED) {
                awaitApply(pending, result.index());
            } else {
                final ProposalCallback callback = pending.proposal;
                release(pending);
                Callbacks.failed(group, callback, proposalRefusal(result.outcome(), result.from()));
            }
        } else if (answer instanceof ReadIndexResponse response && pending.read != null) {
            if (response.outcome() == ForwardOutcome.SUCCEEDED) {
                awaitApply(pending, response.readIndex());
            } else {
                final ReadCallback callback = pending.read;
                release(pending);
                Callbacks.failed(group, callback, readRefusal(response.outcome(), response.from()));
            }
        }
    }

    private void awaitApply(Pending pending, long index) {
        pending.awaitedIndex = index;
        answered++;
        if (index <= applied) {
            complete(pending);
        }
    }

    /** This member applied up to {@code index}: completes the answered requests it covers. */
    void applied(long index) {
        applied = index;
        for (int i = 0; answered > 0 && i < table.length; i++) {
            final Pending pending = table[i];
            if (pending.requestId != 0 && pending.answered() && pending.awaitedIndex <= index) {
                complete(pending);
            }
        }
    }

    private void complete(Pending pending) {
        final long index = pending.awaitedIndex;
        final ProposalCallback proposal = pending.proposal;
        final ReadCallback read = pending.read;
        release(pending);
        if (proposal != null) {
            final Object result = pipeline.results.resultOf(index, pipeline.committed.get());
            if (result instanceof AppliedResults.Refused refused) {
                Callbacks.failed(group, proposal, refused.error());
            } else {
                Callbacks.applied(group, proposal, index, result);
            }
        } else {
            Callbacks.readable(group, read, index);
        }
    }

    /**
     * Fails the requests whose deadline passed: unanswered ones, and answered ones this member has not applied up to
     * the index the leader named (it may be cut off from the leader's entries for good).
     */
    void expire(long nowNanos) {
        for (int i = 0; outstanding > 0 && i < table.length; i++) {
            final Pending pending = table[i];
            if (pending.requestId == 0 || nowNanos - pending.deadlineNanos < 0) {
                continue;
            }
            if (pending.answered()) {
                fail(
                        pending,
                        new OutcomeUnknownException(
                                "group " + group + ": the leader committed the forwarded" + " proposal at "
                                        + pending.awaitedIndex + ", but this member did not apply it in time"),
                        new OutcomeUnknownException(
                                "group " + group + ": this member did not apply up to the read index "
                                        + pending.awaitedIndex + " in time"));
            } else {
                fail(
                        pending,
                        new OutcomeUnknownException("group " + group + ": the leader " + pending.leader
                                + " did not answer the forwarded proposal in time; it may still commit"),
                        new OutcomeUnknownException(
                                "group " + group + ": the read barrier did not pass before its" + " deadline"));
            }
        }
    }

    /**
     * The known leader or the term changed: an unanswered request sent to another leader or in another term cannot
     * learn its outcome any more. A proposal's is unknown (the old leader may have appended it, a new leader may
     * commit it); a read simply did not pass. Losing track of the leader within its term (an election begins, the
     * group restarts) changes nothing yet: that term's leader is the only one that can answer, and still may.
     */
    void leaderChanged(long term, String leader) {
        if (leader == null) {
            failOtherTerms(term);
            return;
        }
        for (int i = 0; outstanding > answered && i < table.length; i++) {
            final Pending pending = table[i];
            if (pending.requestId != 0
                    && !pending.answered()
                    && (pending.term != term || !pending.leader.equals(leader))) {
                fail(
                        pending,
                        new OutcomeUnknownException("group " + group + ": leadership changed while the"
                                + " proposal was forwarded to " + pending.leader + "; it may still commit"),
                        new NotLeaderException(group, leader));
            }
        }
    }

    private void failOtherTerms(long term) {
        for (int i = 0; outstanding > answered && i < table.length; i++) {
            final Pending pending = table[i];
            if (pending.requestId != 0 && !pending.answered() && pending.term != term) {
                fail(
                        pending,
                        new OutcomeUnknownException("group " + group + ": a new term began while the proposal"
                                + " was forwarded to " + pending.leader + "; it may still commit"),
                        new NotLeaderException(group, null));
            }
        }
    }

    /** The group stopped: every waiting request fails, proposals with an unknown outcome. */
    void stopped(RaftGroupException reason) {
        for (Pending pending : table) {
            if (pending.requestId != 0) {
                fail(
                        pending,
                        new OutcomeUnknownException("group " + group + " stopped before "
                                + (pending.answered()
                                        ? "it applied the forwarded proposal the leader committed at "
                                                + pending.awaitedIndex
                                        : "the leader answered the forwarded proposal")),
                        reason);
            }
        }
    }

    private void fail(Pending pending, RaftGroupException proposalError, RaftGroupException readError) {
        final ProposalCallback proposal = pending.proposal;
        final ReadCallback read = pending.read;
        release(pending);
        if (proposal != null) {
            Callbacks.failed(group, proposal, proposalError);
        } else {
            Callbacks.failed(group, read, readError);
        }
    }

    private Pending claim(RaftCore core, long deadlineNanos) {
        Pending pending;
        while ((pending = table[(int) (nextId & mask)]).requestId != 0) {
            nextId++; // at most table.length - 1 steps: fewer than table.length requests wait
        }
        pending.requestId = nextId++;
        pending.leader = core.leaderId();
        pending.term = core.term();
        pending.deadlineNanos = deadlineNanos;
        outstanding++;
        return pending;
    }

    private void release(Pending pending) {
        if (pending.answered()) {
            answered--;
        }
        pending.requestId = 0;
        pending.proposal = null;
        pending.read = null;
        pending.leader = null;
        pending.awaitedIndex = -1;
        outstanding--;
    }

    private BusyException busy() {
        return new BusyException("group " + group + ": " + table.length + " forwarded requests already wait for the"
                + " leader's answer");
    }

    private BusyException unreachable(String leader) {
        return new BusyException(
                "group " + group + ": the leader " + leader + " cannot be reached now; nothing was" + " sent");
    }

    private RaftGroupException proposalRefusal(ForwardOutcome outcome, String leader) {
        return switch (outcome) {
            case OUTCOME_UNKNOWN ->
                new OutcomeUnknownException("group " + group + ": the leader " + leader
                        + " lost leadership before the forwarded proposal committed");
            case REJECTED ->
                new RejectedException("group " + group + ": the leader " + leader + " could not decode"
                        + " the forwarded payload (incompatible payload codecs)");
            default -> readRefusal(outcome, leader);
        };
    }

    private RaftGroupException readRefusal(ForwardOutcome outcome, String leader) {
        return switch (outcome) {
            case BUSY -> new BusyException("group " + group + ": the leader " + leader + " is busy");
            case UNAVAILABLE ->
                new StorageUnavailableException("group " + group + ": the leader " + leader + " is unavailable");
            case OUTCOME_UNKNOWN ->
                new OutcomeUnknownException(
                        "group " + group + ": the leader " + leader + " could not confirm its leadership in time");
            default -> new NotLeaderException(group, null);
        };
    }
}
