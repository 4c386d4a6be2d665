package dev.spool.raft.group;

import dev.spool.api.cluster.Member;
import dev.spool.api.group.BusyException;
import dev.spool.api.group.NotLeaderException;
import dev.spool.api.group.ProposalCallback;
import dev.spool.api.spi.journal.RawRecords;
import dev.spool.api.spi.raft.AppendEntries;
import dev.spool.api.spi.raft.ForwardMessage;
import dev.spool.api.spi.raft.InstallSnapshot;
import dev.spool.api.spi.raft.RaftMessage;
import dev.spool.api.spi.raft.ReadIndexRequest;
import dev.spool.api.spi.replication.GroupLink;
import dev.spool.api.spi.replication.ReceivedBytes;
import dev.spool.raft.core.LogCommand;
import dev.spool.raft.core.RaftCore;
import dev.spool.raft.core.Ready;
import dev.spool.raft.core.Role;
import dev.spool.raft.pipeline.Agent;
import dev.spool.raft.pipeline.EntrySlot;
import java.io.IOException;
import java.util.List;

/**
 * The core task: owns the group's {@link RaftCore} and runs its Ready loop, in the shape of etcd's raw node. Each
 * duty cycle it ticks the core when a tick is due, reports the other agents' progress, steps received messages,
 * runs requests made on other threads, drains client proposals into slots while slots are free; after each step it
 * takes the core's {@link Ready}, hands each part to the executor of that job, and acknowledges it
 * ({@link RaftCore#advance}). Then it sends what replication and forwarding have ready, and publishes the status.
 *
 * <p>The executors, one job each: {@link StorageCommands} (term and vote, slots and {@code accepted}, truncations
 * and compactions for the log agent, its flushes back), {@link SnapshotSender} and {@link SnapshotIntake} (the two
 * sides of a snapshot transfer), {@link Replication} (the leader's outbox of AppendEntries), {@link Forwarder} and
 * {@link ForwardedRequests} (forwarding), {@link StatusPublisher} (status and role changes), {@link LinkMembers} (whom the log names, for the
 * transport), {@link RecordCheck}
 * (received records), {@link GroupEvents} (reads, membership changes, transfers). They share the group's
 * {@link GroupContext}.
 *
 * <p>Threads: one agent thread; it is the slot ring's producer and the only thread that touches the core.
 */
final class CoreAgent<T> implements Agent, Intake.Consumer<T> {

    /** The most proposals or messages taken per duty cycle, so that other agents of the thread get their turn. */
    private static final int BATCH = 1024;

    private final String name;
    private final String group;
    private final GroupContext<T> context;
    private final RaftCore core;
    private final Pipeline<T> pipeline;
    private final GroupLink link;
    private final long tickNanos;
    /** How long a follower's read-index request may take on this leader. */
    private final long forwardedReadTicks;
    /** Fails a proposal that waited in the intake beyond its deadline while no slot was free. */
    private final Intake.Ended expiredProposal;

    private final StorageCommands<T> storage;
    private final RecordCheck recordCheck;
    /** The leader's AppendEntries on their way out; {@code null} without a transport. */
    private final Replication replication;
    /** Leader: the stored snapshot sent in chunks; {@code null} without a transport. */
    private final SnapshotSender outgoing;
    /** Follower: the snapshot being received from the leader. */
    private final SnapshotIntake incoming;

    private final Forwarder<T> forwarder;
    private final ForwardedRequests<T> forwarded;
    private final StatusPublisher statusPublisher;
    /** Tells the link whom the log names; {@code null} without a transport. */
    private final LinkMembers linkMembers;
    /** The leader this member follows while its log does not name it, as {@link #addressee} names it. */
    private Member unnamedLeader;
    /** Runs once a received snapshot is installed: the group restarts from it. */
    private final Runnable reinstall;

    private long nextTick;
    private long appliedReported;
    private long snapshotsDoneSeen;
    /** The message being stepped, with what it still holds. */
    private Received current;
    /** Set once a received snapshot is installed: the agent stops, and the group restarts from it. */
    private boolean installed;

    /**
     * @param context the group's context
     * @param core the group's core, recovered
     * @param link the group's transport, or {@code null} without one
     * @param forwarder the follower side of forwarding
     * @param forwarded the leader side of forwarding
     * @param reinstall restarts the group from its storage once a received snapshot is installed
     */
    CoreAgent(
            GroupContext<T> context,
            RaftCore core,
            GroupLink link,
            Forwarder<T> forwarder,
            ForwardedRequests<T> forwarded,
            Runnable reinstall) {
        this.context = context;
        this.group = context.group;
        this.name = group + "/core";
        this.core = core;
        this.pipeline = context.pipeline;
        this.link = link;
        this.tickNanos = context.settings.tickNanos();
        this.forwardedReadTicks = context.settings.electionTicks();
        this.storage = new StorageCommands<>(context);
        this.recordCheck = new RecordCheck(group, context.journal.spec().maxEntrySize());
        this.replication = link == null ? null : new Replication(context.journal, link);
        this.outgoing = link == null ? null : new SnapshotSender(context, link);
        this.linkMembers = link == null ? null : new LinkMembers(link);
        this.incoming = new SnapshotIntake(group, context.snapshots);
        this.forwarder = forwarder;
        this.forwarded = forwarded;
        this.statusPublisher = new StatusPublisher(group, context.status, context.events, forwarder, pipeline.ring);
        this.reinstall = reinstall;
        this.appliedReported = pipeline.applied.get();
        forwarder.applied(appliedReported);
        this.expiredProposal = callback -> {
            statusPublisher.refusedBusy();
            Callbacks.failed(
                    group,
                    callback,
                    new BusyException("group " + group + ": no entry slot freed before the proposal's" + " deadline"));
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
        nextTick = context.clock.nanoTime() + tickNanos;
        statusPublisher.publish(core);
        if (linkMembers != null) {
            linkMembers.publish(core);
        }
    }

    @Override
    public int doWork() throws IOException {
        if (context.failure.failed() || installed) {
            return 0;
        }
        int work = tick() + reportProgress() + receive();
        if (installed) {
            return work; // the restart from the installed snapshot takes over from here
        }
        work += runRequests();
        work += processReadies();
        work += drainIntake();
        work += processReadies();
        work += replication == null ? 0 : replication.sendFlushed(core, storage.flushed());
        work += forwarded.sendAnswers(core.membership(), link);
        statusPublisher.publish(core);
        if (linkMembers != null) {
            linkMembers.publish(core);
        }
        return work;
    }

    /** A failure of the core agent fails the group: its status, its waiting requests, every agent of the start. */
    @Override
    public void onError(Exception error) {
        context.failure.fail(name + " failed", error);
    }

    private int tick() {
        final long now = context.clock.nanoTime();
        if (now - nextTick < 0) {
            return 0;
        }
        core.tick();
        forwarder.expire(now);
        if (storage.freeSlots() - GroupSettings.RESERVED_SLOTS <= 0) {
            context.intake.expire(now, expiredProposal);
        }
        nextTick = Math.max(nextTick + tickNanos, now - tickNanos); // a long pause costs one tick, not a burst
        context.events.tick(core);
        return 1;
    }

    /**
     * Tells the core how far the log agent flushed and whether the journal is out of space, how far the apply agent
     * applied, and which snapshot it took.
     */
    private int reportProgress() {
        int work = storage.reportFlushed(core);
        core.journalFull((pipeline.journalFullChanges.get() & 1) == 1);
        final long applied = pipeline.applied.get();
        if (applied > appliedReported) {
            appliedReported = applied;
            core.applied(applied);
            forwarder.applied(applied);
            work++;
        }
        final long done = pipeline.snapshotsAnswered.get();
        if (done != snapshotsDoneSeen) {
            snapshotsDoneSeen = done;
            core.snapshotTaken(pipeline.snapshotTakenIndex(), pipeline.snapshotTakenBytes());
            context.events.snapshotTaken(pipeline.snapshotTakenIndex());
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
        // Once a stepped chunk completed an install, the core's log starts after the snapshot while this start's
        // slot ring does not, so nothing more is stepped: the restart's stop releases the messages behind it
        // (onClose) and the leader sends the new start what it lacks.
        while (!installed && count < BATCH && (received = context.inbox.poll()) != null) {
            count++;
            if (received.message() instanceof ForwardMessage forward) {
                forwarded(forward); // served around the core, which never sees them
                continue;
            }
            if (received.message() instanceof AppendEntries append && append.entryCount() > 0) {
                received = recordCheck.soundPart(append, received);
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
            forwarded.read(core, context.events, request, forwardedReadTicks);
        } else {
            forwarder.received(message);
        }
    }

    private int runRequests() {
        int count = 0;
        Runnable request;
        while (count < BATCH && (request = context.requests.poll()) != null) {
            request.run();
            count++;
        }
        return count;
    }

    private int drainIntake() {
        final long room = storage.freeSlots() - GroupSettings.RESERVED_SLOTS;
        return room <= 0 ? 0 : context.intake.drainTo(this, (int) Math.min(room, BATCH));
    }

    /** A client's payload object, or a forwarded proposal's bytes ({@link ForwardedRequests}), which it owns. */
    @Override
    public void proposal(
            T payload,
            ReceivedBytes forwarded,
            ProposalCallback callback,
            long sessionId,
            long sequence,
            long deadlineNanos) {
        final long index = core.propose();
        if (index == 0) {
            if (forwarded != null) {
                forwarded.release(); // a forwarded proposal is refused, never forwarded again
            }
            if (core.role() == Role.LEADER) {
                statusPublisher.refusedBusy();
                Callbacks.failed(
                        group,
                        callback,
                        new BusyException(
                                "group " + group + " refuses proposals while leadership is" + " transferred"));
            } else if (!ForwardedRequests.isForwarded(callback) && forwarder.canForward(core)) {
                forwarder.proposal(
                        core, payload, callback, sessionId, sequence, deadlineNanos, context.clock.nanoTime());
            } else {
                Callbacks.failed(group, callback, new NotLeaderException(group, core.leaderId()));
            }
            return;
        }
        // the stamp is this leader's wall clock: members compare sessions' idle time on it, so it must mean the same
        // on every member (the apply agent never lets it move back)
        final long stamp = Math.max(1, context.wallClock.getAsLong());
        final EntrySlot<T, ProposalCallback> slot = storage.claim(index);
        if (forwarded == null) {
            slot.fillProposal(index, core.term(), payload, callback, sessionId, sequence, stamp);
        } else {
            slot.fillForwarded(index, core.term(), forwarded, callback, sessionId, sequence, stamp);
        }
        statusPublisher.proposalAccepted();
    }

    /** Takes and executes Readies until the core has nothing more to say, acknowledging each. */
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

    /** Hands each part of a Ready to its executor, in the order Raft needs: storage before the messages. */
    private void execute(Ready ready) throws IOException {
        storage.persistHardState(ready);
        for (int i = 0; i < ready.commandCount(); i++) {
            execute(ready.command(i));
        }
        storage.publishAccepted();
        final List<RaftMessage> messages = ready.messages();
        for (int i = 0; i < messages.size(); i++) {
            send(messages.get(i));
        }
        storage.trustLogOnceCaughtUp(core);
        if (ready.snapshotToTake() > 0) {
            pipeline.snapshotRequests.set(pipeline.snapshotRequests.get() + 1);
            pipeline.applySignal.signal();
        }
        if (ready.applyUpTo() > pipeline.committed.get()) {
            statusPublisher.commitMoved(core); // before the apply agent may apply: it never runs ahead of the status
            pipeline.committed.set(ready.applyUpTo());
            pipeline.applySignal.signal();
        }
        for (int i = 0; i < ready.readCount(); i++) {
            context.events.readConfirmed(ready.readRequest(i), ready.readIndex(i));
        }
    }

    private void execute(LogCommand command) throws IOException {
        switch (command.type()) {
            case APPEND -> {
                if (command.source() == null) {
                    storage.appendCreated(command);
                } else {
                    storage.appendReceived(command, deliveredRecords(command));
                    current = current.withoutRecords(); // their slots own them now
                }
            }
            case TRUNCATE -> storage.truncate(command.lastIndex());
            case COMPACT -> storage.compact(command.firstIndex());
            case STORE_SNAPSHOT_CHUNK ->
                incoming.store(
                        command.snapshotChunk(),
                        current == null || current.chunk() == null
                                ? null
                                : current.chunk().buffer());
            case INSTALL_SNAPSHOT -> install(command.lastIndex());
        }
    }

    /** The records of the message being stepped, which an append of received entries refers to. */
    private RawRecords deliveredRecords(LogCommand command) {
        final RawRecords records = current == null || current.message() != command.source() ? null : current.records();
        if (records == null) {
            throw new IllegalStateException(
                    name + ": append of " + command + " refers to a message not being" + " delivered");
        }
        return records;
    }

    /**
     * Installs the received snapshot, which its last chunk completed, verified and published, by stopping this agent
     * and having the group restart from its storage: recovery restores the state machine from the new snapshot and
     * drops a journal that does not continue it.
     */
    private void install(long lastIndex) {
        incoming.install(lastIndex);
        installed = true;
        reinstall.run();
    }

    /** Routes a message: AppendEntries with entries to the outbox, snapshot chunks to the sender, others out now. */
    private void send(RaftMessage message) throws IOException {
        if (link == null) {
            return; // no transport bound: peers hear nothing until one is, Raft retransmits
        }
        if (message instanceof AppendEntries append && append.entryCount() > 0) {
            replication.queue(append);
            return;
        }
        final Member to = addressee(message.to());
        if (to == null) {
            return;
        }
        if (message instanceof InstallSnapshot chunk) {
            outgoing.send(to, chunk);
        } else {
            link.send(to, message);
        }
    }

    /**
     * The member a message goes to: one the log names, or the leader this member follows though its log does not name
     * it yet (the change that added the leader is among the entries this member is missing, and only that leader can
     * send them, once it hears where this member's log ends). The transport reaches a member by its id; the log is
     * the only source of addresses, so the leader is named without one. Anyone else the log does not name hears
     * nothing.
     */
    private Member addressee(String id) {
        final Member named = GroupContext.member(core.membership(), id);
        if (named != null || !id.equals(core.leaderId())) {
            return named;
        }
        if (unnamedLeader == null || !unnamedLeader.id().equals(id)) {
            unnamedLeader = Member.learner(id, "");
        }
        return unnamedLeader;
    }

    @Override
    public void onClose() {
        closeQuietly(outgoing);
        closeQuietly(incoming);
        if (replication != null) {
            replication.close();
        }
        Received received;
        while ((received = context.inbox.poll()) != null) {
            received.release();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception e) {
                System.getLogger(CoreAgent.class.getName())
                        .log(System.Logger.Level.WARNING, "closing a snapshot failed", e);
            }
        }
    }

    @Override
    public String roleName() {
        return name;
    }
}
