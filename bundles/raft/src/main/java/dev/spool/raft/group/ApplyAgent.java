package dev.spool.raft.group;

import dev.spool.api.cluster.Membership;
import dev.spool.api.codec.EntrySource;
import dev.spool.api.group.ProposalCallback;
import dev.spool.api.group.RaftGroupException;
import dev.spool.api.group.StateMachine;
import dev.spool.api.spi.journal.EntryReader;
import dev.spool.api.spi.journal.EntryVisitor;
import dev.spool.api.spi.journal.Journal;
import dev.spool.api.spi.snapshot.SnapshotMetadata;
import dev.spool.api.spi.snapshot.SnapshotStore;
import dev.spool.api.spi.snapshot.SnapshotWriter;
import dev.spool.raft.pipeline.Agent;
import dev.spool.raft.pipeline.EntrySlot;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The apply task: follows {@code committed} and applies entries to the state machine in log order. Entries proposed on
 * this leader are applied from their slots, payload objects as the client proposed them, never decoded; any other
 * entry (a follower's, one a follower forwarded to this leader, one recovered from the journal after a restart) is
 * decoded from the journal and handed to the state machine, and nothing of the decoded payload is kept after the
 * apply returns: the application's codec may reuse it ({@link dev.spool.api.codec.PayloadCodec#decode}). After
 * applying an entry it clears its slot, then moves {@code applied}, which frees the slots for intake.
 * Between two batches it takes the snapshots the core asks for, at the index it has applied.
 *
 * <p>Threads: one agent thread. It never touches a slot above {@code committed}, which the core may still change.
 */
final class ApplyAgent<T> implements Agent, EntryVisitor {

    /** The most entries applied per duty cycle. */
    private static final int BATCH = 4096;
    /** The version of the group's own part of a snapshot (the session table before the state machine's bytes). */
    static final int SNAPSHOT_LAYOUT = SessionTable.LAYOUT_EXPIRING;

    private final String name;
    private final String group;
    private final Pipeline<T> pipeline;
    private final Journal journal;
    private final EntryEnvelope<T> envelope;
    private final StateMachine<T> stateMachine;
    private final SessionTable sessions;
    private final SnapshotStore snapshots;
    private final GroupFailure failure;
    private final EntrySlot<T, ProposalCallback> decoded = new EntrySlot<>();

    private EntryReader reader;
    private long applied;
    private long appliedTerm;
    private Membership membership;
    private long snapshotRequestsSeen;
    private long snapshotIndex;

    /**
     * @param context the group's context
     * @param stateMachine the application's state machine, restored by {@code recovery}
     * @param sessions the client sessions, restored by {@code recovery}
     * @param recovery where the state machine starts: the snapshot it was restored from
     */
    ApplyAgent(GroupContext<T> context, StateMachine<T> stateMachine, SessionTable sessions, Recovery recovery) {
        this.name = context.group + "/apply";
        this.group = context.group;
        this.pipeline = context.pipeline;
        this.journal = context.journal;
        this.envelope = context.envelope;
        this.stateMachine = stateMachine;
        this.sessions = sessions;
        this.snapshots = context.snapshots;
        this.failure = context.failure;
        this.applied = recovery.snapshotIndex();
        this.appliedTerm = recovery.snapshotTerm();
        this.snapshotIndex = recovery.snapshotIndex();
        this.membership = recovery.snapshotMembership();
    }

    @Override
    public int doWork() throws IOException {
        if (failure.failed()) {
            return 0;
        }
        return apply() + snapshotIfAsked();
    }

    /** A failure to apply (the state machine threw, an entry cannot be decoded) fails the group. */
    @Override
    public void onError(Exception error) {
        failure.fail(name + " failed applying entry " + (applied + 1), error);
    }

    private int apply() throws IOException {
        final long target = Math.min(pipeline.committed.get(), applied + BATCH);
        if (target <= applied) {
            return 0;
        }
        final int count = (int) (target - applied);
        while (applied < target) {
            applyEntry(applied + 1);
        }
        pipeline.applied.set(applied);
        pipeline.coreSignal.signal();
        return count;
    }

    private void applyEntry(long index) throws IOException {
        final EntrySlot<T, ProposalCallback> slot = pipeline.ring.slot(index);
        final boolean filled = slot.index() == index;
        if (filled && slot.form() == EntrySlot.Form.OBJECTS) {
            applySlot(index, slot, slot.callback());
        } else {
            // a leader's records on a follower, a proposal a follower forwarded to this leader, a recovered entry
            readFromJournal(index);
            applySlot(index, decoded, filled ? slot.callback() : null);
            decoded.clear(); // the payload is the codec's, perhaps reused at its next decode: not kept
        }
        if (filled) {
            slot.clear();
        }
        applied = index;
    }

    private void readFromJournal(long index) throws IOException {
        if (reader == null) {
            reader = journal.openReader(index);
        } else if (reader.nextIndex() != index) {
            reader.seek(index);
        }
        if (!reader.read(this)) {
            throw new IllegalStateException(name + ": committed entry " + index + " is not in journal " + journal.name()
                    + " (last " + journal.lastIndex() + ")");
        }
    }

    @Override
    public void visit(long index, long term, EntrySource payload) throws IOException {
        envelope.decodeInto(payload, decoded, index, term);
    }

    private void applySlot(long index, EntrySlot<T, ProposalCallback> slot, ProposalCallback callback) {
        appliedTerm = slot.term();
        switch (slot.kind()) {
            case NORMAL -> {
                sessions.advance(slot.stamp());
                final long session = slot.sessionId();
                if (session == 0) {
                    applied(index, stateMachine.apply(index, slot.payload()), callback);
                    return;
                }
                switch (sessions.admit(session, slot.sequence())) {
                    case APPLY -> {
                        final Object result = stateMachine.apply(index, slot.payload());
                        sessions.applied(index, slot.sequence(), result);
                        applied(index, result, callback);
                    }
                    case REPEAT -> applied(index, sessions.repeatedResult(), callback);
                    case REFUSE -> {
                        final RaftGroupException refusal = sessions.refusal(index, session, slot.sequence());
                        final var refused = new AppliedResults.Refused(refusal);
                        pipeline.results.record(index, refused);
                        if (ForwardedRequests.isForwarded(callback)) {
                            // the follower hears the entry's index and reports the refusal its own apply recorded
                            Callbacks.applied(group, callback, index, refused);
                        } else if (callback != null) {
                            Callbacks.failed(group, callback, refusal);
                        }
                    }
                }
            }
            case MEMBERSHIP -> membership = slot.membership();
            default -> {}
        }
    }

    private void applied(long index, Object result, ProposalCallback callback) {
        pipeline.results.record(index, result);
        if (callback != null) {
            Callbacks.applied(group, callback, index, result);
        }
    }

    /** Takes a snapshot at the applied index if the core asked for one since the last. */
    private int snapshotIfAsked() {
        final long requests = pipeline.snapshotRequests.get();
        if (requests == snapshotRequestsSeen) {
            return 0;
        }
        snapshotRequestsSeen = requests;
        long bytes = 0;
        long index = 0;
        if (applied > snapshotIndex) {
            try {
                bytes = writeSnapshot();
                index = applied;
                snapshotIndex = applied;
            } catch (IOException | RuntimeException e) {
                System.getLogger(ApplyAgent.class.getName())
                        .log(
                                System.Logger.Level.WARNING,
                                name + ": snapshot at " + applied + " failed; the next one is asked for later",
                                e);
            }
        }
        // index 0 tells the core that no snapshot resulted, so it may ask again
        pipeline.answerSnapshots(requests, index, bytes);
        pipeline.coreSignal.signal();
        return 1;
    }

    private long writeSnapshot() throws IOException {
        final var metadata =
                new SnapshotMetadata(applied, appliedTerm, membership, stateMachine.snapshotFormatVersion());
        try (SnapshotWriter writer = snapshots.create(group, metadata)) {
            final var out = new DataOutputStream(writer.outputStream());
            out.writeInt(SNAPSHOT_LAYOUT);
            sessions.writeTo(out);
            out.flush();
            stateMachine.writeSnapshot(writer.outputStream());
            return writer.commit().size();
        }
    }

    @Override
    public void onClose() {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }

    @Override
    public String roleName() {
        return name;
    }
}
