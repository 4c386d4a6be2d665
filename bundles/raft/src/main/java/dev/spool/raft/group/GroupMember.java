package dev.spool.raft.group;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.codec.PayloadCodec;
import dev.spool.api.group.BusyException;
import dev.spool.api.group.ClientSession;
import dev.spool.api.group.GroupBackup;
import dev.spool.api.group.GroupProgress;
import dev.spool.api.group.GroupRole;
import dev.spool.api.group.NotLeaderException;
import dev.spool.api.group.OutcomeUnknownException;
import dev.spool.api.group.ProposalCallback;
import dev.spool.api.group.RaftGroup;
import dev.spool.api.group.RaftGroupException;
import dev.spool.api.group.ReadCallback;
import dev.spool.api.group.RoleListener;
import dev.spool.api.group.StateMachine;
import dev.spool.api.group.StorageUnavailableException;
import dev.spool.api.health.Health;
import dev.spool.api.spi.journal.Journal;
import dev.spool.api.spi.journal.JournalService;
import dev.spool.api.spi.journal.RawRecords;
import dev.spool.api.spi.raft.ForwardProposal;
import dev.spool.api.spi.raft.RaftMessage;
import dev.spool.api.spi.replication.GroupInbox;
import dev.spool.api.spi.replication.GroupLink;
import dev.spool.api.spi.replication.ReceivedBytes;
import dev.spool.api.spi.replication.ReplicationStreamer;
import dev.spool.api.spi.snapshot.SnapshotStore;
import dev.spool.raft.core.RaftCore;
import dev.spool.raft.core.Role;
import dev.spool.raft.pipeline.AgentHost;
import dev.spool.raft.pipeline.EntrySlot;
import dev.spool.raft.pipeline.NanoClock;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * This member of one Raft group: the {@link RaftGroup} an application uses, running on the member's shared agent
 * threads while its storage is bound. {@link #start} recovers from the bound journal and snapshot store and adds the
 * group's three agents (core, log, apply) to the member's {@link AgentHost} — no thread of its own; {@link #stop}
 * removes them, fails what is pending, and closes the journal, so that no journal view outlives it. Between the two
 * the group is {@link GroupRole#UNAVAILABLE}: proposals fail at once with {@link StorageUnavailableException}.
 *
 * <p>Threads: the {@link RaftGroup} methods from any thread; {@link #start} and {@link #stop} from a managing
 * thread (never an agent thread: they wait for the agents), one at a time.
 *
 * @param <T> the payload type
 */
public final class GroupMember<T> implements RaftGroup<T> {

    private final GroupSettings settings;
    private final StateMachine<T> stateMachine;
    private final PayloadCodec<T> codec;
    private final EntryEnvelope<T> envelope;
    private final AgentHost host;
    private final NanoClock clock;
    /** Draws session ids and seeds each start's election randomness. */
    private final RandomGenerator random;

    private final GroupStatus status = new GroupStatus();
    /** The role listeners: registered with the group, they outlive its starts. */
    private final List<RoleListener> listeners = new CopyOnWriteArrayList<>();
    /** What each start's {@link GroupContext} takes from this member. */
    private final GroupContext.Lasting<T> lasting;

    private volatile Running<T> running;
    /** A backup a member that has never run in its cluster starts from, or {@code null}. */
    private volatile Path restoreFrom;
    /** How long {@link #backup} waits for the snapshot it starts from. */
    private static final long BACKUP_SNAPSHOT_PATIENCE_SECONDS = 600;
    /** How long {@link #stop} waits for the agents before it leaves the rest of the stop to their end. */
    volatile long stopPatienceMillis = 30_000;
    /**
     * Runs the restart that installs a received snapshot: a short-lived thread of its own, or (the deterministic
     * simulation, whose agents run on its one thread) the simulation's thread at a point it chooses.
     */
    volatile java.util.concurrent.Executor installRestarts = task -> {
        final var thread = new Thread(task, "spool-install");
        thread.setDaemon(true);
        thread.start();
    };

    /**
     * Creates a group member, unavailable until {@link #start}.
     *
     * @param settings the group's settings
     * @param stateMachine the application's state machine
     * @param codec the application's payload codec
     * @param host the member's agent threads
     * @param clock the clock ticks and deadlines are measured on
     */
    public GroupMember(
            GroupSettings settings,
            StateMachine<T> stateMachine,
            PayloadCodec<T> codec,
            AgentHost host,
            NanoClock clock) {
        this(settings, stateMachine, codec, host, clock, System::currentTimeMillis, new SecureRandom());
    }

    /**
     * Creates a group member whose randomness (election timeouts, session ids) comes from {@code random}: a seeded
     * generator makes a simulated run reproducible.
     */
    GroupMember(
            GroupSettings settings,
            StateMachine<T> stateMachine,
            PayloadCodec<T> codec,
            AgentHost host,
            NanoClock clock,
            RandomGenerator random) {
        this(settings, stateMachine, codec, host, clock, System::currentTimeMillis, random);
    }

    /**
     * Creates a group member whose entries, when it leads, are stamped from {@code wallClock} (milliseconds since the
     * epoch), on which client sessions expire: a simulated clock makes expiry reproducible.
     */
    GroupMember(
            GroupSettings settings,
            StateMachine<T> stateMachine,
            PayloadCodec<T> codec,
            AgentHost host,
            NanoClock clock,
            LongSupplier wallClock,
            RandomGenerator random) {
        this.random = random;
        this.settings = settings;
        this.stateMachine = stateMachine;
        this.codec = codec;
        this.envelope = new EntryEnvelope<>(codec);
        this.host = host;
        this.clock = clock;
        this.lasting = new GroupContext.Lasting<>(settings, envelope, clock, wallClock, status, listeners);
        status.membership = settings.bootstrap();
    }

    /** The services a start is bound to, which a snapshot install's restart binds again. */
    private record Bound(JournalService journals, SnapshotStore snapshots, ReplicationStreamer streamer) {}

    /** What one start of the group runs on; dropped when it stops. */
    private record Running<T>(
            GroupContext<T> context,
            Recovery storage,
            CoreAgent<T> core,
            LogAgent<T> log,
            ApplyAgent<T> apply,
            GroupLink link,
            Bound bound,
            Object start) {
        Pipeline<T> pipeline() {
            return context.pipeline;
        }

        Intake<T> intake() {
            return context.intake;
        }

        ArrayBlockingQueue<Runnable> requests() {
            return context.requests;
        }

        GroupEvents events() {
            return context.events;
        }

        GroupFailure failure() {
            return context.failure;
        }
    }

    /** The requests a start hands to the next when a snapshot install restarts the group: they go on waiting. */
    private record Waiting<T>(Intake<T> intake, Forwarder<T> forwarder) {}

    /**
     * Restarts the group from its storage once its core agent installed a snapshot from the leader: recovery then
     * restores the state machine from it. The proposals and read barriers waiting in the intake or for the leader's
     * answer go on waiting in the new start — the install does not change their outcome, and failing them would have
     * their proposers propose again entries the leader already appended. Runs on a short-lived thread of its own,
     * because stopping waits for the agents, which the agent threads cannot do; a rare event, not a thread per group.
     */
    private void restartInBackground(Object start) {
        installRestarts.execute(() -> {
            synchronized (this) {
                final Running<T> r = running;
                if (r == null || r.start() != start) {
                    return; // stopped or restarted meanwhile
                }
                try {
                    final Waiting<T> waiting = stop(
                            new StorageUnavailableException(
                                    "group " + settings.group() + " restarted to install a snapshot from the leader"),
                            true);
                    start(r.bound().journals(), r.bound().snapshots(), r.bound().streamer(), waiting);
                } catch (IOException | RuntimeException e) {
                    System.getLogger(GroupMember.class.getName())
                            .log(
                                    System.Logger.Level.ERROR,
                                    "group "
                                            + settings.group()
                                            + " could not restart from the snapshot it received; it stays"
                                            + " unavailable until its storage is bound again",
                                    e);
                }
            }
        });
    }

    /**
     * Sets a backup ({@link #backup}) this member starts from if it has never run in its cluster (its term is still
     * 0): the next {@link #start} checks the file whole, refusing a damaged one (naming the file and the problem)
     * before it writes anything, then publishes its snapshot and appends its entries, followed by a membership entry
     * of the configured members, who form the restored group. A member that has run in its cluster ignores it.
     *
     * @param backup the backup file, or {@code null} for none
     */
    public void restoreFrom(Path backup) {
        restoreFrom = backup;
    }

    /**
     * Recovers the group from its storage and starts its agents. A running group is stopped first.
     *
     * @param journals the journal service
     * @param snapshots the snapshot store
     * @param streamer the transport to peers, or {@code null} (a single-member group needs none)
     * @throws IOException if recovery fails; the group stays unavailable
     */
    public synchronized void start(JournalService journals, SnapshotStore snapshots, ReplicationStreamer streamer)
            throws IOException {
        stop();
        start(journals, snapshots, streamer, null);
    }

    /** Starts the group, taking over what {@code waiting} (if not {@code null}) holds; the group is stopped. */
    private void start(
            JournalService journals, SnapshotStore snapshots, ReplicationStreamer streamer, Waiting<T> waiting)
            throws IOException {
        final String group = settings.group();
        final var sessions = new SessionTable(settings.group(), settings.sessionIdleTimeout(), settings.maxSessions());
        final Recovery storage;
        try {
            storage = Recovery.recover(settings, journals, snapshots, stateMachine, sessions, restoreFrom);
        } catch (IOException | RuntimeException e) {
            if (waiting != null) {
                failWaiting(waiting, unavailable());
            }
            throw e;
        }
        try {
            final var intake = waiting != null
                    ? waiting.intake()
                    : new Intake<T>(group, settings.slotCapacity(), this::signalCore);
            final var context = new GroupContext<>(lasting, storage, snapshots, intake);
            final var core = new RaftCore(
                    settings.raftConfig(),
                    new JournalLogView(context.journal, context.pipeline),
                    new SplittableRandom(random.nextLong()),
                    storage.initialState());
            final var forwarded =
                    new ForwardedRequests<>(settings, codec, context.intake, status, context.pipeline, clock);
            final GroupLink link = streamer == null
                    ? null
                    : streamer.join(
                            group,
                            localMember(core.membership()),
                            new Inbox(context.inbox, context.pipeline, forwarded));
            final var forwarder = new Forwarder<>(context, link, 1 + (random.nextLong() >>> 2));
            if (waiting != null) {
                forwarder.takeOver(waiting.forwarder());
            }
            final var starting = new Object(); // this start, which a snapshot install restarts
            final var coreAgent =
                    new CoreAgent<>(context, core, link, forwarder, forwarded, () -> restartInBackground(starting));
            final var log = new LogAgent<>(context);
            final var apply = new ApplyAgent<>(context, stateMachine, sessions, storage);
            storage.handOver();
            running = new Running<>(
                    context, storage, coreAgent, log, apply, link, new Bound(journals, snapshots, streamer), starting);
            final Pipeline<T> pipeline = context.pipeline;
            pipeline.logSignal = host.add(log);
            pipeline.applySignal = host.add(apply);
            pipeline.coreSignal = host.add(coreAgent);
        } catch (RuntimeException e) {
            storage.close();
            if (waiting != null) {
                failWaiting(waiting, unavailable());
            }
            throw e;
        }
    }

    /** Wakes the core agent of the running start, if any: the intake, which outlives an install's restart, calls it. */
    private void signalCore() {
        final Running<T> r = running;
        if (r != null) {
            r.pipeline().coreSignal.signal();
        }
    }

    private void failWaiting(Waiting<T> waiting, RaftGroupException reason) {
        waiting.intake().close(callback -> Callbacks.failed(settings.group(), callback, reason));
        waiting.forwarder().stopped(reason);
    }

    /** This member as its log names it; a joining member its log does not name yet is a learner without address. */
    private Member localMember(Membership membership) {
        return membership
                .member(settings.memberId())
                .or(() -> settings.bootstrap().member(settings.memberId()))
                .orElseGet(() -> Member.learner(settings.memberId(), ""));
    }

    /**
     * Stops the group: removes its agents, fails what is pending (proposals not yet in a slot with
     * {@link StorageUnavailableException}, proposals in slots not yet applied with {@link OutcomeUnknownException}:
     * they may be in the journal and apply at the next start), and closes the journal and term store. Every journal
     * view is released when this returns — unless an agent does not stop within 30 s (a state machine call that does
     * not return): then the storage stays open, never closed under a running agent, and the rest of the stop happens
     * when the agents end. Does nothing if the group is not running.
     */
    public synchronized void stop() {
        stop(new StorageUnavailableException("group " + settings.group() + " stopped: its storage was unbound"), false);
    }

    /**
     * Stops the group, failing what is pending with {@code reason}; with {@code keepWaiting}, the requests in the
     * intake and those forwarded to the leader are not failed but returned, for the next start to take over.
     *
     * @return what waits on, or {@code null} if nothing is kept (not asked, not running, or agents still running)
     */
    private Waiting<T> stop(StorageUnavailableException reason, boolean keepWaiting) {
        final Running<T> r = running;
        if (r == null) {
            return null;
        }
        running = null;
        if (r.link() != null) {
            r.link().close();
        }
        final CompletableFuture<?>[] removals = {host.remove(r.core()), host.remove(r.log()), host.remove(r.apply())};
        final CompletableFuture<Void> removed = CompletableFuture.allOf(removals);
        if (!awaitRemoved(removed)) {
            // An agent still runs (a state machine call that does not return): closing the journal now would unmap a
            // segment under it. The rest of the stop waits for the agents; the group is unavailable meanwhile.
            status.role = GroupRole.UNAVAILABLE;
            status.leaderId = null;
            System.getLogger(GroupMember.class.getName())
                    .log(
                            System.Logger.Level.WARNING,
                            "group "
                                    + settings.group() + ": its agents did not stop within " + stopPatienceMillis
                                    + " ms; its journal"
                                    + " closes and its pending requests fail once they do");
            removed.whenComplete((ignored, error) -> finishStop(r, reason, false));
            return null;
        }
        return finishStop(r, reason, keepWaiting);
    }

    /** Fails what is pending (but what {@code keepWaiting} keeps) and closes the storage of a stopped start. */
    private Waiting<T> finishStop(Running<T> r, StorageUnavailableException unavailable, boolean keepWaiting) {
        if (running == null) { // not started again meanwhile
            status.role = GroupRole.UNAVAILABLE; // after the core agent's last status
            status.leaderId = null;
        }
        if (!keepWaiting) {
            r.intake().close(callback -> Callbacks.failed(settings.group(), callback, unavailable));
        }
        Runnable request;
        while ((request = r.requests().poll()) != null) {
            request.run(); // runs against the stopped core; whatever it registers is failed just below
        }
        r.events().roleChanged(r.core().core(), GroupRole.UNAVAILABLE, status.term, null);
        r.events().stopped(unavailable);
        if (!keepWaiting) {
            r.core().forwarder().stopped(unavailable);
        }
        failUnappliedProposals(r.pipeline());
        r.pipeline().releaseDropped(Long.MAX_VALUE); // the log agent is gone: what truncations dropped
        try {
            r.storage().journal().close();
            r.storage().terms().close();
        } catch (IOException e) {
            System.getLogger(GroupMember.class.getName())
                    .log(System.Logger.Level.WARNING, "group " + settings.group() + ": closing its journal failed", e);
        }
        return keepWaiting ? new Waiting<>(r.intake(), r.core().forwarder()) : null;
    }

    private void failUnappliedProposals(Pipeline<?> pipeline) {
        final long last = pipeline.ring.accepted().get();
        for (long index = pipeline.applied.get() + 1; index <= last; index++) {
            final EntrySlot<?, ProposalCallback> slot = pipeline.ring.slot(index);
            if (slot.index() != index) {
                continue;
            }
            if (slot.callback() != null) {
                Callbacks.failed(
                        settings.group(),
                        slot.callback(),
                        new OutcomeUnknownException("group " + settings.group() + " stopped before" + " entry " + index
                                + " was applied; it applies at the next start if it committed"));
            }
            slot.releaseBytes(); // idempotent: the log task may have written and released them already
        }
    }

    /** @return whether the agents were removed within {@link #stopPatienceMillis}; an interrupt ends the wait */
    private boolean awaitRemoved(CompletableFuture<Void> removed) {
        try {
            removed.get(stopPatienceMillis, TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("group " + settings.group() + ": removing its agents failed", e);
        }
    }

    /**
     * Tells whether the group runs and its storage has not failed.
     *
     * @return whether it is available
     */
    public boolean isAvailable() {
        final Running<T> r = running;
        return r != null && !r.failure().failed();
    }

    /**
     * Returns the first index the group's journal still holds: compaction after a snapshot moves it forward.
     *
     * @return the journal's first index, or 0 while the group is not running
     */
    public long firstLogIndex() {
        final Running<T> r = running;
        return r == null ? 0 : r.storage().journal().firstIndex();
    }

    /** Describes the group's role and pointers, for diagnostics; any thread, values as last published. */
    @Override
    public String toString() {
        final Running<T> r = running;
        if (r == null) {
            return "group " + settings.group() + "/" + settings.memberId() + " stopped";
        }
        final Pipeline<T> p = r.pipeline();
        return "group " + settings.group() + "/" + settings.memberId() + " " + status.role + " term " + status.term
                + " leader " + status.leaderId + ": journal "
                + r.storage().journal().firstIndex() + ".."
                + r.storage().journal().lastIndex() + ", " + p.ring.accepted() + ", " + p.flushed + ", " + p.committed
                + ", " + p.applied + ", commit " + status.commitIndex;
    }

    @Override
    public String name() {
        return settings.group();
    }

    @Override
    public String memberId() {
        return settings.memberId();
    }

    @Override
    public GroupRole role() {
        return status.role;
    }

    @Override
    public Optional<String> leaderId() {
        return Optional.ofNullable(status.knownLeader());
    }

    @Override
    public long term() {
        return status.term;
    }

    @Override
    public long commitIndex() {
        return status.commitIndex;
    }

    /** Returns the last entry the core accepted into a slot (tests: entries held but perhaps not written yet). */
    long acceptedIndex() {
        final Running<T> r = running;
        return r == null ? 0 : r.pipeline().ring.accepted().get();
    }

    @Override
    public long appliedIndex() {
        final Running<T> r = running;
        return r == null ? 0 : r.pipeline().applied.get();
    }

    @Override
    public Membership membership() {
        return status.membership;
    }

    @Override
    public void propose(T payload, long timeout, TimeUnit unit, ProposalCallback callback) {
        offer(payload, 0, 0, timeout, unit, callback);
    }

    @Override
    public void propose(
            ClientSession session, long sequence, T payload, long timeout, TimeUnit unit, ProposalCallback callback) {
        if (sequence <= 0) {
            throw new IllegalArgumentException("sequence numbers start at 1: " + sequence);
        }
        offer(payload, session.id(), sequence, timeout, unit, callback);
    }

    private void offer(
            T payload, long sessionId, long sequence, long timeout, TimeUnit unit, ProposalCallback callback) {
        if (payload == null || callback == null) {
            throw new NullPointerException("payload and callback are required");
        }
        final Running<T> r = running;
        final GroupRole role = status.role;
        if (r == null || role == GroupRole.UNAVAILABLE) {
            callback.failed(unavailable());
            return;
        }
        if (role != GroupRole.LEADER
                && !(settings.forwardToLeader() && r.link() != null && status.knownLeader() != null)) {
            callback.failed(new NotLeaderException(settings.group(), status.knownLeader()));
            return;
        }
        final long deadline = clock.nanoTime() + unit.toNanos(timeout);
        try {
            switch (r.intake().offer(payload, callback, sessionId, sequence, deadline, clock)) {
                case ACCEPTED -> {}
                case FULL ->
                    refuseBusy(
                            callback,
                            new BusyException("group " + settings.group() + ": " + settings.slotCapacity()
                                    + " entries in flight; no slot freed within " + timeout + " " + unit));
                case CLOSED -> callback.failed(unavailable());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            refuseBusy(
                    callback,
                    new BusyException("group " + settings.group() + ": interrupted waiting for a free" + " slot"));
        }
    }

    private void refuseBusy(ProposalCallback callback, BusyException refusal) {
        status.busyRefusals.increment();
        callback.failed(refusal);
    }

    /**
     * Tells whether this member serves the group: it runs, its storage has not failed, it knows a leader, its log is
     * not suspect and its journal has room for another segment above the free-space floor. Any thread; it asks the
     * file system.
     *
     * @return the answer, naming the group and the cause when it does not serve
     */
    public Health health() {
        final Running<T> r = running;
        final Throwable failure = r == null ? null : r.failure().cause();
        long space = Long.MAX_VALUE;
        long segment = 0;
        if (r != null && failure == null) {
            final Journal journal = r.storage().journal();
            segment = journal.spec().segmentSize();
            try {
                space = journal.spaceAboveFloor();
            } catch (IOException e) {
                return Health.unhealthy(
                        "group " + settings.group() + ": the journal's free space cannot be read: " + e.getMessage());
            }
        }
        return GroupHealth.judge(
                settings.group(),
                r != null,
                failure,
                status.role,
                status.knownLeader(),
                status.term,
                status.suspect,
                space,
                segment);
    }

    /**
     * Returns what the group counted since this member created it, for operators. Any thread.
     *
     * @return the counters as last published
     */
    public GroupCounters counters() {
        return new GroupCounters(status.proposals, status.busyRefusals.get(), status.elections, status.leaderChanges);
    }

    private StorageUnavailableException unavailable() {
        final Running<T> r = running;
        final Throwable cause = r == null ? null : r.failure().cause();
        final var error = new StorageUnavailableException("group " + settings.group() + " is unavailable: "
                + (cause == null ? "its journal or snapshot store is not bound" : "its storage failed: " + cause));
        if (cause != null) {
            error.initCause(cause);
        }
        return error;
    }

    @Override
    public ClientSession openSession() {
        long id;
        do {
            id = random.nextLong();
        } while (id == 0);
        return new ClientSession(id);
    }

    @Override
    public void readBarrier(long timeout, TimeUnit unit, ReadCallback callback) {
        final long ticks = Math.max(1, unit.toNanos(timeout) / settings.tickNanos());
        final long deadline = clock.nanoTime() + unit.toNanos(timeout);
        if (!request(r -> {
            final RaftCore core = r.core().core();
            if (core.role() != Role.LEADER && r.core().forwarder().canForward(core)) {
                r.core().forwarder().read(core, callback, deadline);
            } else {
                r.events().readBarrier(core, ticks, callback);
            }
        })) {
            callback.failed(refusal());
        }
    }

    @Override
    public CompletionStage<Long> changeMembership(Membership next) {
        final var result = new CompletableFuture<Long>();
        if (!request(r -> r.events().changeMembership(r.core().core(), next, result))) {
            result.completeExceptionally(refusal());
        }
        return result;
    }

    @Override
    public CompletionStage<Void> transferLeadership(String target) {
        final var result = new CompletableFuture<Void>();
        if (!request(r -> r.events().transferLeadership(r.core().core(), target, result, settings.electionTicks()))) {
            result.completeExceptionally(refusal());
        }
        return result;
    }

    @Override
    public CompletionStage<Long> snapshot() {
        final var result = new CompletableFuture<Long>();
        if (!request(r -> r.events().snapshot(r.core().core(), result))) {
            result.completeExceptionally(refusal());
        }
        return result;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A stop or a snapshot install's restart waits until the backup is written: the journal stays open under it.
     */
    @Override
    public synchronized GroupBackup backup(Path file) throws IOException, RaftGroupException {
        final Running<T> r = running;
        if (r == null) {
            throw unavailable();
        }
        try {
            snapshot().toCompletableFuture().get(BACKUP_SNAPSHOT_PATIENCE_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RaftGroupException refused) {
                throw refused;
            }
            throw new IOException(
                    "group " + settings.group() + ": the snapshot for backup " + file + " failed: "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IOException(
                    "group " + settings.group() + ": the snapshot for backup " + file + " was not stored within "
                            + BACKUP_SNAPSHOT_PATIENCE_SECONDS + " s",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(
                    "group " + settings.group() + ": interrupted waiting for the" + " snapshot for backup " + file);
        }
        return new BackupWriter(
                        settings.group(),
                        settings.memberId(),
                        r.context().snapshots,
                        r.storage().journal(),
                        r.pipeline().committed::get)
                .write(file);
    }

    @Override
    public CompletionStage<GroupProgress> progress() {
        final var result = new CompletableFuture<GroupProgress>();
        if (!request(r -> {
            final RaftCore core = r.core().core();
            final Journal journal = r.storage().journal();
            result.complete(new GroupProgress(
                    core.snapshotIndex(),
                    journal.firstIndex(),
                    journal.lastIndex(),
                    journal.segmentCount(),
                    journal.sizeBytes(),
                    settings.durability(),
                    core.matchIndexes()));
        })) {
            result.completeExceptionally(refusal());
        }
        return result;
    }

    @Override
    public void addRoleListener(RoleListener listener) {
        if (!request(r -> r.events().addListener(r.core().core(), status.role, listener))) {
            listeners.add(listener); // hears the roles of the next start
            listener.roleChanged(settings.group(), status.role, status.term, status.leaderId);
        }
    }

    @Override
    public void removeRoleListener(RoleListener listener) {
        listeners.remove(listener);
    }

    /** Runs {@code work} on the core agent's thread; {@code false} if the group is stopped or its queue is full. */
    private boolean request(Consumer<Running<T>> work) {
        final Running<T> r = running;
        if (r == null || !r.requests().offer(() -> work.accept(r))) {
            return false;
        }
        r.pipeline().coreSignal.signal();
        return true;
    }

    private RaftGroupException refusal() {
        return running == null
                ? unavailable()
                : new BusyException(
                        "group " + settings.group() + ": " + GroupContext.REQUEST_CAPACITY + " requests already wait");
    }

    /** The group's receiving side: bounded, never blocking the transport. */
    private static final class Inbox implements GroupInbox {

        private final ArrayBlockingQueue<Received> queue;
        private final Pipeline<?> pipeline;
        private final ForwardedRequests<?> forwarded;

        Inbox(ArrayBlockingQueue<Received> queue, Pipeline<?> pipeline, ForwardedRequests<?> forwarded) {
            this.queue = queue;
            this.pipeline = pipeline;
            this.forwarded = forwarded;
        }

        @Override
        public boolean deliverForwardedProposal(ForwardProposal message, ReceivedBytes payload) {
            forwarded.proposal(message, payload);
            return true;
        }

        @Override
        public boolean deliver(RaftMessage message) {
            return enqueue(new Received(message, null, null));
        }

        @Override
        public boolean deliverRecords(RaftMessage message, RawRecords records) {
            if (enqueue(new Received(message, records, null))) {
                return true;
            }
            records.release();
            return false;
        }

        @Override
        public boolean deliverSnapshotChunk(RaftMessage message, ReceivedBytes chunk) {
            if (enqueue(new Received(message, null, chunk))) {
                return true;
            }
            chunk.release();
            return false;
        }

        private boolean enqueue(Received received) {
            if (!queue.offer(received)) {
                return false;
            }
            pipeline.coreSignal.signal();
            return true;
        }
    }
}
