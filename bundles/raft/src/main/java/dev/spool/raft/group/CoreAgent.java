package dev.spool.raft.group;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.group.BusyException;
import dev.spool.api.group.NotLeaderException;
import dev.spool.api.group.OutcomeUnknownException;
import dev.spool.api.group.ProposalCallback;
import dev.spool.api.journal.Journal;
import dev.spool.api.journal.RawRecords;
import dev.spool.api.journal.TermStore;
import dev.spool.api.raft.AppendEntries;
import dev.spool.api.raft.ForwardMessage;
import dev.spool.api.raft.InstallSnapshot;
import dev.spool.api.raft.RaftMessage;
import dev.spool.api.raft.ReadIndexRequest;
import dev.spool.api.replication.GroupLink;
import dev.spool.api.snapshot.Snapshot;
import dev.spool.api.snapshot.SnapshotStore;
import dev.spool.raft.core.EntryKind;
import dev.spool.raft.core.LogCommand;
import dev.spool.raft.core.RaftCore;
import dev.spool.raft.core.Ready;
import dev.spool.raft.core.Role;
import dev.spool.raft.pipeline.Agent;
import dev.spool.raft.pipeline.EntrySlot;
import dev.spool.raft.pipeline.NanoClock;
import dev.spool.raft.pipeline.SlotRing;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Queue;

/**
 * The core task: owns the group's {@link RaftCore} and executes its {@link Ready}s. Each duty cycle it ticks the
 * core when a tick is due, steps received messages, reports the other tasks' progress ({@code flushed},
 * {@code applied}, stored snapshots), drains client proposals into entry slots while slots are free, runs requests
 * made on other threads (reads, membership changes, transfers), executes the Readies — persisting term and vote,
 * publishing {@code accepted} for the log task, handing truncations and compactions to it, sending messages,
 * moving {@code committed} for the apply task — and publishes the group's status. It hands work to helpers of one
 * job each: {@link RecordCheck} (received records), {@link Replication} (the leader's outbox of AppendEntries),
 * {@link Forwarder} and {@link ForwardedRequests} (forwarding), {@link StatusPublisher} (status and the role change).
 *
 * <p>Threads: one agent thread; it is the slot ring's producer and the only thread that touches the core.
 */
final class CoreAgent<T> implements Agent, Intake.Consumer<Object> {

    /** The most proposals or messages taken per duty cycle, so that other agents of the thread get their turn. */
    private static final int BATCH = 1024;

    private final String name;
    private final String group;
    private final RaftCore core;
    private final Pipeline pipeline;
    private final SlotRing<Object, ProposalCallback> ring;
    private final Intake<Object> intake;
    private final Queue<Received> inbox;
    private final Queue<Runnable> requests;
    private final TermStore terms;
    private final Journal journal;
    private final GroupLink link;
    private final GroupEvents events;
    private final GroupFailure failure;
    private final NanoClock clock;
    private final long tickNanos;
    private final Forwarder<T> forwarder;
    private final ForwardedRequests<T> forwarded;
    /** How long a follower's read-index request may take on this leader. */
    private final long forwardedReadTicks;
    private final RecordCheck recordCheck;

    /** Fails a proposal that waited in the intake beyond its deadline while no slot was free. */
    private final Intake.Consumer<Object> expiredProposal;

    private long nextTick;
    private long lastAccepted;
    private long flushedReported;
    private long appliedReported;
    private long snapshotsDoneSeen;
    private Received current;
    /** The leader's AppendEntries on their way out; {@code null} without a transport. */
    private final Replication replication;
    private final StatusPublisher statusPublisher;
    private final SnapshotStore snapshots;
    private final Runnable reinstall;
    /** Leader: the stored snapshot being sent in chunks, kept open while the core sends it. */
    private Snapshot outgoing;
    /** Follower: the snapshot being received from the leader. */
    private final SnapshotIntake incoming;
    /** Set once a received snapshot is installed: the agent stops, and the group restarts from it. */
    private boolean installed;

    CoreAgent(String group, RaftCore core, Pipeline pipeline, Intake<Object> intake, Queue<Received> inbox,
              Queue<Runnable> requests, TermStore terms, Journal journal, SnapshotStore snapshots, GroupLink link,
              GroupStatus status, GroupEvents events, GroupFailure failure, NanoClock clock, long tickNanos,
              Runnable reinstall, Forwarder<T> forwarder, ForwardedRequests<T> forwarded, long forwardedReadTicks) {
        this.name = group + "/core";
        this.group = group;
        this.core = core;
        this.pipeline = pipeline;
        this.ring = pipeline.ring;
        this.intake = intake;
        this.inbox = inbox;
        this.requests = requests;
        this.terms = terms;
        this.journal = journal;
        this.snapshots = snapshots;
        this.incoming = new SnapshotIntake(group, snapshots);
        this.reinstall = reinstall;
        this.link = link;
        this.events = events;
        this.failure = failure;
        this.clock = clock;
        this.tickNanos = tickNanos;
        this.lastAccepted = ring.accepted().get();
        this.flushedReported = lastAccepted;
        this.appliedReported = pipeline.applied.get();
        this.forwarder = forwarder;
        this.forwarded = forwarded;
        this.forwardedReadTicks = forwardedReadTicks;
        this.recordCheck = new RecordCheck(group, journal.spec().maxEntrySize());
        this.replication = link == null ? null : new Replication(journal, link);
        this.statusPublisher = new StatusPublisher(group, status, events, forwarder, ring);
        forwarder.applied(appliedReported);
        this.expiredProposal = (payload, callback, sessionId, sequence, deadlineNanos) -> {
            HeldBytes.release(payload); // a forwarded proposal's bytes end with it
            statusPublisher.refusedBusy();
            callback.failed(new BusyException("group " + group + ": no entry slot freed before the proposal's"
                + " deadline"));
        };
    }

    /** @return the follower side of forwarding, for requests run on this agent's thread */
    Forwarder<T> forwarder() {
        return forwarder;
    }

    /** @return the core, for requests run on this agent's thread */
    RaftCore core() {
        return core;
    }

    @Override
    public void onStart() {
        nextTick = clock.nanoTime() + tickNanos;
        statusPublisher.publish(core);
    }

    @Override
    public int doWork() {
        if (failure.failed() || installed) {
            return 0;
        }
        try {
            int work = tick() + reportProgress() + receive() + runRequests();
            work += processReadies();
            work += drainIntake();
            work += processReadies();
            work += replication == null ? 0 : replication.sendFlushed(core, flushedReported);
            work += forwarded.sendAnswers(core.membership(), link);
            statusPublisher.publish(core);
            return work;
        } catch (IOException | RuntimeException e) {
            failure.fail(name + " failed", e);
            return 0;
        }
    }

    private int tick() {
        final long now = clock.nanoTime();
        if (now - nextTick < 0) {
            return 0;
        }
        core.tick();
        forwarder.expire(now);
        if (freeSlots() - GroupSettings.RESERVED_SLOTS <= 0) {
            intake.expire(now, expiredProposal);
        }
        nextTick = Math.max(nextTick + tickNanos, now - tickNanos); // a long pause costs one tick, not a burst
        events.tick(core);
        return 1;
    }

    private int reportProgress() {
        int work = 0;
        final long flushed = pipeline.flushed.getInEpoch(ring.accepted().epoch(), -1);
        if (flushed > flushedReported) {
            flushedReported = flushed;
            core.flushed(flushed, pipeline.flushedTermOf(flushed));
            work++;
        }
        final long applied = pipeline.applied.get();
        if (applied > appliedReported) {
            appliedReported = applied;
            core.applied(applied);
            forwarder.applied(applied);
            work++;
        }
        final long done = pipeline.snapshotsDone;
        if (done != snapshotsDoneSeen) {
            snapshotsDoneSeen = done;
            core.snapshotTaken(pipeline.snapshotDoneIndex, pipeline.snapshotDoneBytes);
            events.snapshotTaken(pipeline.snapshotDoneIndex);
            work++;
        }
        return work;
    }

    /**
     * Steps received messages. The core appends of an AppendEntries only the entries the free slots hold (its
     * {@link JournalLogView#appendLimit()}), after truncating at a conflict anywhere in the range; it still
     * acknowledges how far it matches, which lets the leader send the commit index that frees the slots. A message
     * is cut before the first record that fails its checks ({@link RecordCheck}): bad input from a peer is refused,
     * the leader sends the rest again, and the group goes on.
     */
    private int receive() throws IOException {
        int count = 0;
        Received received;
        while (count < BATCH && (received = inbox.poll()) != null) {
            count++;
            if (received.message() instanceof ForwardMessage forward) {
                forwarded(forward); // served around the core, which never sees them
                continue;
            }
            if (received.message() instanceof AppendEntries append && append.entryCount() > 0) {
                final long sound = recordCheck.soundEntries(append, received.records());
                if (sound < append.entryCount()) {
                    received = cut(append, received.records(), sound);
                }
            }
            current = received;
            try {
                core.step(received.message());
                processReadies();
            } finally {
                current.release(); // records not appended (refused, or already held), a chunk stored or refused
                current = null;
            }
        }
        return count;
    }

    private void forwarded(ForwardMessage message) {
        if (message instanceof ReadIndexRequest request) {
            forwarded.read(core, events, request, forwardedReadTicks);
        } else {
            forwarder.received(message);
        }
    }

    /** The first {@code count} entries of a received AppendEntries, with its records (released if none remain). */
    private static Received cut(AppendEntries append, RawRecords records, long count) {
        final long last = append.prevLogIndex() + count;
        final var cutMessage = new AppendEntries(append.from(), append.to(), append.term(), append.prevLogIndex(),
            append.prevLogTerm(), last, count == 0 ? 0 : append.entryTerm(), append.leaderCommit(),
            Replication.membershipsWithin(append, append.prevLogIndex(), last));
        if (count == 0 && records != null) {
            records.release();
            return new Received(cutMessage, null, null);
        }
        return new Received(cutMessage, records, null);
    }

    private int runRequests() {
        int count = 0;
        Runnable request;
        while (count < BATCH && (request = requests.poll()) != null) {
            request.run();
            count++;
        }
        return count;
    }

    private long freeSlots() {
        final long applied = pipeline.applied.get();
        final long inRing = ring.capacity() - (lastAccepted - applied);
        final long inLimit = pipeline.slotLimit - (lastAccepted - Math.max(applied, pipeline.recoveredUpTo));
        return Math.min(inRing, inLimit);
    }

    private int drainIntake() {
        final long room = freeSlots() - GroupSettings.RESERVED_SLOTS;
        return room <= 0 ? 0 : intake.drainTo(this, (int) Math.min(room, BATCH));
    }

    /** A client's payload object, or a forwarded proposal's bytes ({@link ForwardedRequests}), which it owns. */
    @Override
    @SuppressWarnings("unchecked") // what is not a follower's bytes is a payload of the group's type
    public void proposal(Object payload, ProposalCallback callback, long sessionId, long sequence,
                         long deadlineNanos) {
        final long index = core.propose();
        if (index == 0) {
            HeldBytes.release(payload); // a forwarded proposal is refused, never forwarded again
            if (core.role() == Role.LEADER) {
                statusPublisher.refusedBusy();
                callback.failed(new BusyException("group " + group + " refuses proposals while leadership is"
                    + " transferred"));
            } else if (!ForwardedRequests.isForwarded(callback) && forwarder.canForward(core)) {
                forwarder.proposal(core, (T) payload, callback, sessionId, sequence, deadlineNanos, clock.nanoTime());
            } else {
                callback.failed(new NotLeaderException(group, core.leaderId()));
            }
            return;
        }
        claim(index).fill(index, core.term(), EntrySlot.KIND_NORMAL, payload, callback, sessionId, sequence, 0);
        statusPublisher.proposalAccepted();
    }

    private EntrySlot<Object, ProposalCallback> claim(long index) {
        final long claimed = ring.tryClaim();
        if (claimed != index) {
            throw new IllegalStateException(name + ": the slot ring handed out " + claimed + " for entry " + index
                + " (ring full or out of step with the log)");
        }
        return ring.slot(index);
    }

    /** Executes Readies until the core has nothing more to say. */
    private int processReadies() throws IOException {
        int count = 0;
        Ready ready = core.ready();
        while (!ready.isEmpty()) {
            execute(ready);
            core.advance();
            incoming.reportTo(core); // how storage took a snapshot chunk, answered before anything else is stepped
            count++;
            ready = core.ready();
        }
        return count;
    }

    private void execute(Ready ready) throws IOException {
        if (ready.hardStateChanged()) {
            terms.update(ready.term(), ready.votedFor());
        }
        for (int i = 0; i < ready.commandCount(); i++) {
            executeCommand(ready.command(i));
        }
        if (ring.accepted().get() < lastAccepted) {
            ring.publish(lastAccepted);
            pipeline.logSignal.signal();
        }
        final List<RaftMessage> messages = ready.messages();
        for (int i = 0; i < messages.size(); i++) {
            send(messages.get(i));
        }
        if (!pipeline.logTrusted && !core.isSuspect()) {
            pipeline.logTrusted = true;
            pipeline.logSignal.signal();
        }
        if (ready.snapshotToTake() > 0) {
            pipeline.snapshotRequests = pipeline.snapshotRequests + 1;
            pipeline.applySignal.signal();
        }
        if (ready.applyUpTo() > pipeline.committed.get()) {
            pipeline.committed.set(ready.applyUpTo());
            pipeline.applySignal.signal();
        }
        for (int i = 0; i < ready.readCount(); i++) {
            events.readConfirmed(ready.readRequest(i), ready.readIndex(i));
        }
    }

    private void executeCommand(LogCommand command) throws IOException {
        switch (command.type()) {
            case APPEND -> {
                if (command.source() != null) {
                    acceptReceived(command);
                } else {
                    acceptCreated(command);
                }
                lastAccepted = command.lastIndex();
            }
            case TRUNCATE -> truncate(command.lastIndex());
            case COMPACT -> {
                pipeline.compactBefore = command.firstIndex();
                pipeline.logSignal.signal();
            }
            case STORE_SNAPSHOT_CHUNK -> incoming.store(command.snapshotChunk(),
                current == null || current.chunk() == null ? null : current.chunk().buffer());
            case INSTALL_SNAPSHOT -> installSnapshot(command.lastIndex());
        }
    }

    /**
     * Installs the received snapshot, which its last chunk completed, verified and published, by stopping this agent
     * and having the group restart from its storage: recovery restores the state machine from the new snapshot and drops a journal
     * that does not continue it.
     */
    private void installSnapshot(long lastIndex) {
        incoming.install(lastIndex);
        installed = true;
        reinstall.run();
    }

    private void acceptCreated(LogCommand command) {
        for (long index = command.firstIndex(); index <= command.lastIndex(); index++) {
            if (command.kind() == EntryKind.NORMAL) {
                if (ring.slot(index).index() != index) {
                    throw new IllegalStateException(name + ": proposed entry " + index + " has no filled slot");
                }
            } else {
                final byte kind = command.kind() == EntryKind.NOOP ? EntrySlot.KIND_NOOP : EntrySlot.KIND_MEMBERSHIP;
                claim(index).fill(index, command.term(), kind, command.membership(), null, 0, 0, 0);
            }
        }
    }

    /** Accepts records a leader sent: their slots carry the records, which the log task appends raw. */
    private void acceptReceived(LogCommand command) {
        final RawRecords records = current == null || current.message() != command.source() ? null
            : current.records();
        if (records == null) {
            throw new IllegalStateException(name + ": append of " + command + " refers to a message not being"
                + " delivered");
        }
        enclose(records, command.firstIndex(), command.lastIndex());
        for (long index = command.firstIndex(); index <= command.lastIndex(); index++) {
            claim(index).fill(index, command.term(), EntrySlot.KIND_NORMAL, records, null, 0, 0, 0);
        }
        current = new Received(current.message(), null, null); // the log task releases the records now
    }

    /**
     * Narrows the records' buffer to the records {@code first .. last}, the part of the message the core appends
     * (this member may hold a prefix already). Walks the record headers: each record starts with its CRC32C and its
     * whole length, big-endian (docs/journal-format.md).
     */
    private static void enclose(RawRecords records, long first, long last) {
        final ByteBuffer buffer = records.buffer();
        int position = buffer.position();
        for (long index = records.firstIndex(); index < first; index++) {
            position += buffer.getInt(position + 4);
        }
        int end = position;
        for (long index = first; index <= last; index++) {
            end += buffer.getInt(end + 4);
        }
        buffer.limit(end).position(position);
    }

    /**
     * Drops the entries after {@code index}. Their proposers hear that the outcome is unknown here, now: a leader
     * deposed and truncated in one duty cycle would otherwise lose them, since the step-down's cleanup only sees the
     * slots up to the new {@code accepted}.
     */
    private void truncate(long index) {
        for (long dropped = index + 1; dropped <= lastAccepted; dropped++) {
            final EntrySlot<Object, ProposalCallback> slot = ring.slot(dropped);
            final ProposalCallback callback = slot.callback();
            if (slot.index() == dropped && callback != null) {
                slot.fill(dropped, slot.term(), slot.kind(), slot.payload(), null, slot.sessionId(), slot.sequence(),
                    slot.encodedSize());
                callback.failed(new OutcomeUnknownException("group " + group + ": entry " + dropped + " was"
                    + " replaced by another leader's entry"));
            }
        }
        pipeline.dropAfter(index, lastAccepted); // the log agent releases the peer bytes of the dropped slots
        pipeline.pendingTruncation.accumulateAndGet(index, Math::min);
        ring.truncateAfter(index);
        lastAccepted = index;
        flushedReported = Math.min(flushedReported, index); // what follows is flushed anew, in the new epoch
        pipeline.logSignal.signal();
    }

    private void send(RaftMessage message) throws IOException {
        if (link == null) {
            return; // no transport bound: peers hear nothing until one is, Raft retransmits
        }
        if (message instanceof AppendEntries append && append.entryCount() > 0) {
            replication.queue(append);
            return;
        }
        if (message instanceof InstallSnapshot chunk) {
            sendSnapshotChunk(chunk);
            return;
        }
        final Member to = member(message.to());
        if (to != null) {
            link.send(to, message);
        }
    }

    /** Sends a chunk of the stored snapshot; nothing if the store's latest is not the one the core offers. */
    private void sendSnapshotChunk(InstallSnapshot chunk) throws IOException {
        final Member to = member(chunk.to());
        if (to == null) {
            return;
        }
        if (outgoing == null || outgoing.metadata().lastIndex() != chunk.lastIndex()) {
            if (outgoing != null) {
                outgoing.close();
            }
            outgoing = snapshots.latest(group).orElse(null);
            if (outgoing == null || outgoing.metadata().lastIndex() != chunk.lastIndex()) {
                return; // the core offers a snapshot the store no longer holds: it moves on to a newer one
            }
        }
        final ByteBuffer bytes = ByteBuffer.allocate((int) chunk.length());
        while (bytes.hasRemaining() && outgoing.read(chunk.offset() + bytes.position(), bytes) > 0) {
            // read until the chunk is whole
        }
        link.sendSnapshotChunk(to, chunk, bytes.flip());
    }

    private Member member(String id) {
        return member(core.membership(), id);
    }

    /** The member {@code id} of {@code membership}, or {@code null}; without an {@code Optional} per message. */
    static Member member(Membership membership, String id) {
        final List<Member> members = membership.members();
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).id().equals(id)) {
                return members.get(i);
            }
        }
        return null;
    }

    @Override
    public void onClose() {
        closeQuietly(outgoing);
        closeQuietly(incoming);
        if (replication != null) {
            replication.close();
        }
        Received received;
        while ((received = inbox.poll()) != null) {
            received.release();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception e) {
                System.getLogger(CoreAgent.class.getName()).log(System.Logger.Level.WARNING,
                    "closing a snapshot failed", e);
            }
        }
    }

    @Override
    public String roleName() {
        return name;
    }
}
