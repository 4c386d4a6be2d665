package dev.spool.raft.group;

import dev.spool.api.cluster.Membership;
import dev.spool.api.codec.PayloadCodec;
import dev.spool.api.group.BusyException;
import dev.spool.api.group.GroupRole;
import dev.spool.api.group.NotLeaderException;
import dev.spool.api.group.OutcomeUnknownException;
import dev.spool.api.group.ProposalCallback;
import dev.spool.api.group.RaftGroupException;
import dev.spool.api.group.ReadCallback;
import dev.spool.api.group.RejectedException;
import dev.spool.api.group.StorageUnavailableException;
import dev.spool.api.spi.codec.ByteBufferEntrySource;
import dev.spool.api.spi.raft.ForwardMessage;
import dev.spool.api.spi.raft.ForwardOutcome;
import dev.spool.api.spi.raft.ForwardProposal;
import dev.spool.api.spi.raft.ForwardResult;
import dev.spool.api.spi.raft.ReadIndexRequest;
import dev.spool.api.spi.raft.ReadIndexResponse;
import dev.spool.api.spi.replication.GroupLink;
import dev.spool.api.spi.replication.ReceivedBytes;
import dev.spool.raft.core.RaftCore;
import dev.spool.raft.pipeline.NanoClock;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * A leader's side of forwarding: serves the proposals and read-index requests followers forward, and sends the
 * answers. A forwarded proposal's payload stays the bytes the follower's codec wrote: it is offered to the group's
 * {@link Intake} like a local proposal, without waiting — a full intake answers busy at once, so a follower's load is
 * pushed back exactly like a local client's — and the log task appends the bytes as they arrived, then releases
 * them; the apply task decodes the entry from the journal, as a follower does. No decoded object is kept: a codec
 * may reuse one object per thread ({@link PayloadCodec#decode}). A read-index request is a read barrier of this leader (confirmed by a heartbeat round). Answers wait in a
 * bounded queue for the core agent, the link's only sender; if it is full the answer is dropped and the follower's
 * deadline speaks instead.
 *
 * <p>Threads: {@link #proposal} on transport threads; answers are queued from the apply thread (a commit) and the
 * core agent (refusals); {@link #read} and {@link #sendAnswers} on the core agent.
 *
 * @param <T> the payload type
 */
final class ForwardedRequests<T> {

    private static final System.Logger LOG = System.getLogger(ForwardedRequests.class.getName());

    private final String group;
    private final String memberId;
    private final PayloadCodec<T> codec;
    private final Intake<T> intake;
    private final GroupStatus status;
    private final Pipeline<?> pipeline;
    private final NanoClock clock;
    private final ArrayBlockingQueue<ForwardMessage> answers;

    ForwardedRequests(
            GroupSettings settings,
            PayloadCodec<T> codec,
            Intake<T> intake,
            GroupStatus status,
            Pipeline<?> pipeline,
            NanoClock clock) {
        this.group = settings.group();
        this.memberId = settings.memberId();
        this.codec = codec;
        this.intake = intake;
        this.status = status;
        this.pipeline = pipeline;
        this.clock = clock;
        // What can wait for an answer: every proposal in the intake and the slots, and as many reads.
        this.answers = new ArrayBlockingQueue<>(4 * settings.slotCapacity());
    }

    /** Tells whether a proposal came from a follower: such a proposal is never forwarded again. */
    static boolean isForwarded(ProposalCallback callback) {
        return callback instanceof ForwardedRequests<?>.Answer;
    }

    /**
     * Takes a forwarded proposal into the intake, or answers at once why not. The bytes are decoded here once, only
     * to refuse what this member's codec cannot read (an entry no member could apply must not enter the log); the
     * decoded object is dropped at once.
     *
     * @param message the proposal
     * @param payload its encoded payload, owned from here: released here if refused, otherwise once the log task
     *     has written it (or the entry is dropped)
     */
    void proposal(ForwardProposal message, ReceivedBytes payload) {
        final var answer = new Answer(message.from(), message.requestId(), false);
        boolean taken = false;
        try {
            if (status.role != GroupRole.LEADER) {
                answer.failed(new NotLeaderException(group, status.leaderId));
            } else if (decodable(message, payload)) {
                taken = offer(message, payload, answer);
            } else {
                answer.failed(new RejectedException("group " + group + ": undecodable forwarded payload"));
            }
        } finally {
            if (!taken) {
                payload.release();
            }
        }
    }

    private boolean decodable(ForwardProposal message, ReceivedBytes payload) {
        try {
            codec.decode(new ByteBufferEntrySource().wrap(payload.buffer().duplicate()));
            return true;
        } catch (Exception e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "group " + group + ": the proposal member " + message.from() + " forwarded cannot be decoded",
                    e);
            return false;
        }
    }

    /** Offers the proposal to the intake; {@code true} if the intake took it, and with it the payload. */
    private boolean offer(ForwardProposal message, ReceivedBytes payload, Answer answer) {
        try {
            switch (intake.offerForwarded(
                    payload, answer, message.sessionId(), message.sequence(), clock.nanoTime(), clock)) {
                case ACCEPTED -> {
                    return true;
                }
                case FULL -> {
                    status.busyRefusals.increment();
                    answer.failed(new BusyException("group " + group + ": intake full"));
                }
                case CLOSED -> answer.failed(new StorageUnavailableException("group " + group + " stopped"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.failed(new BusyException("group " + group + ": interrupted"));
        }
        return false;
    }

    /** Takes a read barrier for a follower; the core agent's thread. */
    void read(RaftCore core, GroupEvents events, ReadIndexRequest request, long timeoutTicks) {
        events.readBarrier(core, timeoutTicks, new Answer(request.from(), request.requestId(), true));
    }

    /** Sends the queued answers to their followers; the core agent's thread. */
    int sendAnswers(Membership membership, GroupLink link) {
        int sent = 0;
        ForwardMessage answer;
        while ((answer = answers.poll()) != null) {
            final var follower = GroupContext.member(membership, answer.to());
            if (follower != null && link != null) {
                link.send(follower, answer);
            }
            sent++;
        }
        return sent;
    }

    private void answer(ForwardMessage message) {
        if (answers.offer(message)) {
            pipeline.coreSignal.signal();
        }
    }

    private static ForwardOutcome outcome(RaftGroupException error) {
        if (error instanceof NotLeaderException) {
            return ForwardOutcome.NOT_LEADER;
        } else if (error instanceof BusyException) {
            return ForwardOutcome.BUSY;
        } else if (error instanceof OutcomeUnknownException) {
            return ForwardOutcome.OUTCOME_UNKNOWN;
        } else if (error instanceof RejectedException) {
            return ForwardOutcome.REJECTED;
        }
        return ForwardOutcome.UNAVAILABLE;
    }

    /**
     * Turns the outcome of one forwarded request into the follower's answer: a {@link ForwardResult} for a proposal,
     * a {@link ReadIndexResponse} for a read barrier.
     */
    private final class Answer implements ProposalCallback, ReadCallback {

        private final String follower;
        private final long requestId;
        private final boolean read;

        Answer(String follower, long requestId, boolean read) {
            this.follower = follower;
            this.requestId = requestId;
            this.read = read;
        }

        @Override
        public void applied(long index, Object result) {
            answer(new ForwardResult(memberId, follower, status.term, requestId, ForwardOutcome.SUCCEEDED, index));
        }

        @Override
        public void readable(long readIndex) {
            answer(new ReadIndexResponse(
                    memberId, follower, status.term, requestId, ForwardOutcome.SUCCEEDED, readIndex));
        }

        @Override
        public void failed(RaftGroupException error) {
            answer(
                    read
                            ? new ReadIndexResponse(memberId, follower, status.term, requestId, outcome(error), 0)
                            : new ForwardResult(memberId, follower, status.term, requestId, outcome(error), 0));
        }
    }
}
