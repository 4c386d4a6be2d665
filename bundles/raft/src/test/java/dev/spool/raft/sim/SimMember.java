package dev.spool.raft.sim;

import dev.spool.api.cluster.Membership;
import dev.spool.api.group.Durability;
import dev.spool.api.spi.raft.AppendEntries;
import dev.spool.api.spi.raft.InstallSnapshot;
import dev.spool.api.spi.raft.MembershipEntry;
import dev.spool.api.spi.raft.RaftMessage;
import dev.spool.raft.core.EntryKind;
import dev.spool.raft.core.InitialState;
import dev.spool.raft.core.LogCommand;
import dev.spool.raft.core.RaftConfig;
import dev.spool.raft.core.RaftCore;
import dev.spool.raft.core.Ready;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One simulated member: a {@link RaftCore} driven the way the journal-backed actor drives it, over a simulated
 * journal, term store, snapshot store and key-value state machine. It executes every {@link Ready} at once except
 * journal flushes, which complete a seeded number of ticks later. It survives process crashes (the journal keeps
 * everything written) and machine crashes (only forced data, plus a seeded prefix of the rest, survives).
 */
public final class SimMember {

    /** What the simulation learns from a member. */
    public interface Observer {
        /** The member appended {@code entry} to its journal. */
        void appended(SimMember member, SimEntry entry);

        /** The member applied {@code entry}; {@code output} is the result of its operation, if any. */
        void applied(SimMember member, SimEntry entry, long output);

        /** A read-index read of the member is ready: its state machine applied the read index. */
        void readReady(SimMember member, long requestId);

        /** The member installed a snapshot received from its leader. */
        void snapshotInstalled(SimMember member);
    }

    private final String id;
    private final Durability durability;
    private final RaftConfig config;
    private final Membership bootstrap;
    private final Observer observer;
    private final SplittableRandom random;

    private final SimLog log = new SimLog();
    private long term;
    private String votedFor;
    private SimSnapshot snapshot;
    private SimSnapshot incoming;
    /** A chunk was handed to storage by the Ready being executed: its outcome is reported after the Ready. */
    private boolean chunkInStorage;

    private boolean suspectAfterRestart;

    private RaftCore core;
    private Map<String, Long> state = new HashMap<>();
    private long applied;
    private final Map<Long, KvOp> proposed = new HashMap<>();
    private final ArrayDeque<long[]> flushes = new ArrayDeque<>();
    private int restarts;

    /**
     * Creates a member, not yet running.
     *
     * @param id its id
     * @param durability its journal's durability
     * @param config its core's tuning
     * @param bootstrap the membership a member with an empty log starts from
     * @param observer what to tell
     * @param seed the seed of its randomness
     */
    public SimMember(
            String id, Durability durability, RaftConfig config, Membership bootstrap, Observer observer, long seed) {
        this.id = id;
        this.durability = durability;
        this.config = config;
        this.bootstrap = bootstrap;
        this.observer = observer;
        this.random = new SplittableRandom(seed);
    }

    /**
     * Starts (or restarts) the member from what its storage holds. A {@code SYNC} journal forces what it recovered
     * when it opens: the core counts every recovered entry as flushed.
     */
    public void start() {
        if (durability == Durability.SYNC) {
            log.force(log.lastIndex());
        }
        if (snapshot != null && log.lastIndex() < snapshot.index()) {
            log.reset(snapshot.index());
        }
        final long snapshotIndex = snapshot == null ? 0 : snapshot.index();
        final var logMemberships = new ArrayList<MembershipEntry>();
        for (long i = Math.max(log.firstIndex(), snapshotIndex + 1); i <= log.lastIndex(); i++) {
            if (log.get(i).kind() == EntryKind.MEMBERSHIP) {
                logMemberships.add(new MembershipEntry(i, log.get(i).membership()));
            }
        }
        final var initial = InitialState.atSnapshot(
                term,
                votedFor,
                snapshotIndex,
                snapshot == null ? 0 : snapshot.term(),
                snapshot == null ? 0 : snapshot.bytes(),
                snapshot == null ? bootstrap : snapshot.membership(),
                logMemberships,
                suspectAfterRestart);
        core = new RaftCore(config, log, new SplittableRandom(random.nextLong()), initial);
        suspectAfterRestart = false;
        state = snapshot == null ? new HashMap<>() : new HashMap<>(snapshot.state());
        applied = snapshotIndex;
        restarts++;
    }

    /**
     * Stops the process: the journal keeps everything written, pending flushes never report. A suspect log stays
     * suspect across the restart: the actor records the suspicion durably until the core has cleared it.
     */
    public void crashProcess() {
        suspectAfterRestart |= core != null && core.isSuspect();
        core = null;
        flushes.clear();
        proposed.clear();
        incoming = null;
    }

    /**
     * Stops the machine: only forced data survives, plus a seeded prefix of the unforced tail, cut as a torn record
     * would cut it. A {@code NONE} journal restarts suspect.
     */
    public void crashMachine() {
        crashProcess();
        final long forced = log.forced();
        final long cut = forced + random.nextLong(log.lastIndex() - forced + 1);
        log.truncateAfter(cut);
        suspectAfterRestart = durability == Durability.NONE;
    }

    /** @return whether the member runs */
    public boolean isUp() {
        return core != null;
    }

    /**
     * Delivers a message and executes what follows.
     *
     * @param envelope the message with its attachments
     * @param out where to put the messages to send
     */
    public void deliver(Envelope envelope, List<Envelope> out) {
        core.step(envelope.message());
        process(envelope, out);
    }

    /**
     * Advances time by one tick: completes due flushes, ticks the core, executes what follows.
     *
     * @param out where to put the messages to send
     */
    public void tick(List<Envelope> out) {
        final int due = flushes.size();
        for (int i = 0; i < due; i++) {
            final long[] flush = flushes.poll();
            if (--flush[2] > 0) {
                flushes.add(flush);
                continue;
            }
            if (log.has(flush[0]) && log.term(flush[0]) == flush[1]) {
                if (durability == Durability.SYNC) {
                    log.force(flush[0]);
                }
                core.flushed(flush[0], flush[1]);
            }
        }
        core.tick();
        process(null, out);
    }

    /**
     * Proposes a client operation if this member leads.
     *
     * @param op the operation
     * @return whether the core accepted it
     */
    public boolean propose(KvOp op) {
        final long index = core.propose();
        if (index == 0) {
            return false;
        }
        proposed.put(index, op);
        return true;
    }

    /** Executes Readies until the core has nothing more to say. */
    public void process(Envelope current, List<Envelope> out) {
        Ready ready = core.ready();
        while (!ready.isEmpty()) {
            final long appliedBefore = applied;
            final long snapshotAt = ready.snapshotToTake();
            execute(ready, current, out);
            core.advance();
            // Progress is reported after the acknowledgement: it may produce the next Ready's commands.
            if (chunkInStorage) {
                chunkInStorage = false;
                core.snapshotChunkStored(true);
            }
            if (applied > appliedBefore) {
                core.applied(applied);
            }
            if (snapshotAt > 0) {
                core.snapshotTaken(snapshotAt, snapshot.bytes());
            }
            current = null;
            ready = core.ready();
        }
    }

    private void execute(Ready ready, Envelope current, List<Envelope> out) {
        if (ready.hardStateChanged()) {
            if (ready.term() < term
                    || (ready.term() == term && votedFor != null && !votedFor.equals(ready.votedFor()))) {
                throw new AssertionError(id + ": term store would go back from " + term + "/" + votedFor + " to "
                        + ready.term() + "/" + ready.votedFor());
            }
            term = ready.term();
            votedFor = ready.votedFor();
        }
        for (int i = 0; i < ready.commandCount(); i++) {
            executeCommand(ready.command(i), current);
        }
        for (RaftMessage message : ready.messages()) {
            final Envelope envelope = attach(message);
            if (envelope != null) {
                out.add(envelope);
            }
        }
        if (ready.snapshotToTake() > 0) {
            takeSnapshot(ready.snapshotToTake());
        }
        if (ready.applyUpTo() > applied) {
            applyUpTo(ready.applyUpTo());
        }
        for (int i = 0; i < ready.readCount(); i++) {
            observer.readReady(this, ready.readRequest(i));
        }
    }

    private void executeCommand(LogCommand command, Envelope current) {
        switch (command.type()) {
            case APPEND -> {
                for (long index = command.firstIndex(); index <= command.lastIndex(); index++) {
                    final SimEntry entry = command.source() != null
                            ? attached(current, command.source(), index)
                            : new SimEntry(
                                    index,
                                    command.term(),
                                    command.kind(),
                                    command.kind() == EntryKind.NORMAL ? proposed.remove(index) : null,
                                    command.membership(),
                                    log.has(index - 1) ? log.get(index - 1) : null);
                    log.append(entry);
                    observer.appended(this, entry);
                }
                if (command.forced()) {
                    log.force(command.lastIndex());
                }
                flushes.add(new long[] {command.lastIndex(), command.term(), 1 + random.nextInt(3)});
            }
            case TRUNCATE -> log.truncateAfter(command.lastIndex());
            case COMPACT -> log.compactBefore(command.firstIndex());
            case STORE_SNAPSHOT_CHUNK -> {
                if (command.snapshotChunk().offset() == 0) {
                    incoming = current.snapshot();
                }
                chunkInStorage = true;
            }
            case INSTALL_SNAPSHOT -> installSnapshot(command);
        }
    }

    private static SimEntry attached(Envelope current, AppendEntries source, long index) {
        if (current == null || current.message() != source) {
            throw new AssertionError("append command refers to a message not being delivered: " + source);
        }
        return current.entries().get((int) (index - source.firstIndex()));
    }

    private void installSnapshot(LogCommand command) {
        if (incoming == null || incoming.index() != command.lastIndex()) {
            throw new AssertionError(id + ": install of snapshot " + command.lastIndex() + " but received " + incoming);
        }
        snapshot = incoming;
        incoming = null;
        observer.snapshotInstalled(this);
        state = new HashMap<>(snapshot.state());
        applied = snapshot.index();
        if (command.keepsLog()) {
            log.compactBefore(snapshot.index() + 1);
        } else {
            log.reset(snapshot.index());
        }
    }

    private Envelope attach(RaftMessage message) {
        if (message instanceof AppendEntries a && a.entryCount() > 0) {
            final List<SimEntry> entries = log.slice(a.firstIndex(), a.lastIndex());
            return entries == null ? null : new Envelope(message, entries, null);
        }
        if (message instanceof InstallSnapshot s) {
            return snapshot != null && snapshot.index() == s.lastIndex()
                    ? new Envelope(message, List.of(), snapshot)
                    : null;
        }
        return new Envelope(message, List.of(), null);
    }

    private void applyUpTo(long index) {
        for (long i = applied + 1; i <= index; i++) {
            final SimEntry entry = log.get(i);
            final long output = entry.op() == null ? 0 : entry.op().applyTo(state);
            applied = i;
            observer.applied(this, entry, output);
        }
    }

    private void takeSnapshot(long index) {
        if (index != applied) {
            throw new AssertionError(id + ": snapshot asked at " + index + " but applied " + applied);
        }
        Membership membership = snapshot == null ? bootstrap : snapshot.membership();
        for (long i = index; i >= log.firstIndex(); i--) {
            if (log.get(i).kind() == EntryKind.MEMBERSHIP) {
                membership = log.get(i).membership();
                break;
            }
        }
        snapshot = new SimSnapshot(index, log.term(index), membership, Map.copyOf(state), 64 + 24L * state.size());
    }

    /** @return the member's id */
    public String id() {
        return id;
    }

    /** @return the running core; only while {@link #isUp()} */
    public RaftCore core() {
        return core;
    }

    /** @return the simulated journal */
    public SimLog log() {
        return log;
    }

    /** @return the state machine's state */
    public Map<String, Long> state() {
        return state;
    }

    /** @return the last index applied to the state machine */
    public long applied() {
        return applied;
    }

    /** @return the journal's durability */
    public Durability durability() {
        return durability;
    }

    /** @return how many times the member started */
    public int starts() {
        return restarts;
    }
}
