package dev.spool.raft.group;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.group.GroupRole;
import dev.spool.api.group.RoleListener;
import dev.spool.api.spi.journal.Journal;
import dev.spool.api.spi.journal.TermStore;
import dev.spool.api.spi.snapshot.SnapshotStore;
import dev.spool.raft.pipeline.NanoClock;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.LongSupplier;

/**
 * What one start of a group shares among its agents and the core agent's executors, built once by
 * {@link GroupMember#start} and dropped when the start ends: the settings and clock, the storage recovery opened, the
 * {@link Pipeline} between the agents, the bounded queues into the core agent, the status other threads read, the
 * group's failure, and the requests that wait for the core. Each part keeps its own threading rule.
 *
 * <p>The link to the peers is not part of it: the transport is joined with an inbox that delivers into this context,
 * so the link exists only after it; the executors that talk to peers receive it besides.
 *
 * @param <T> the payload type
 */
final class GroupContext<T> {

    /** Requests waiting for the core agent (reads, membership, transfers, listeners); more are refused as busy. */
    static final int REQUEST_CAPACITY = 1024;
    /** Messages waiting for the core agent; more are dropped (Raft retransmits). */
    static final int INBOX_CAPACITY = 4096;

    final GroupSettings settings;
    /** The group's name, {@code settings.group()}. */
    final String group;

    final NanoClock clock;
    /** Milliseconds since the epoch: the stamps a leader puts in its entries, on which sessions expire. */
    final LongSupplier wallClock;

    final EntryEnvelope<T> envelope;
    final Journal journal;
    final TermStore terms;
    final SnapshotStore snapshots;
    final Pipeline<T> pipeline;
    /** Client proposals (and a leader's forwarded ones) waiting for a slot; may outlive the start. */
    final Intake<T> intake;
    /** Messages from peers waiting for the core agent; any thread offers. */
    final ArrayBlockingQueue<Received> inbox;
    /** Work other threads run on the core agent's thread. */
    final ArrayBlockingQueue<Runnable> requests;
    /** What the core agent publishes for other threads; outlives the start. */
    final GroupStatus status;

    final GroupFailure failure;
    /** Read barriers, membership changes, transfers and role listeners waiting for the core. */
    final GroupEvents events;

    /**
     * What a group member keeps across its starts, which each start's context refers to.
     *
     * @param settings the group's settings
     * @param envelope the group's entry envelope, over the application's codec
     * @param clock the clock ticks and deadlines are measured on
     * @param wallClock milliseconds since the epoch, which a leader stamps its entries with
     * @param status the status the group publishes; set unavailable if the group fails
     * @param listeners the role listeners, which outlive starts
     * @param <T> the payload type
     */
    record Lasting<T>(
            GroupSettings settings,
            EntryEnvelope<T> envelope,
            NanoClock clock,
            LongSupplier wallClock,
            GroupStatus status,
            List<RoleListener> listeners) {}

    /**
     * @param member what the group member keeps across starts
     * @param storage the journal and term store recovery opened
     * @param snapshots the snapshot store
     * @param intake the intake: a new one, or the one of the start before a snapshot install's restart
     */
    GroupContext(Lasting<T> member, Recovery storage, SnapshotStore snapshots, Intake<T> intake) {
        this.settings = member.settings();
        this.group = settings.group();
        this.clock = member.clock();
        this.wallClock = member.wallClock();
        this.envelope = member.envelope();
        this.journal = storage.journal();
        this.terms = storage.terms();
        this.snapshots = snapshots;
        this.status = member.status();
        this.pipeline = new Pipeline<>(group, settings.slotCapacity(), journal.lastIndex(), storage.snapshotIndex());
        this.intake = intake;
        this.inbox = new ArrayBlockingQueue<>(INBOX_CAPACITY);
        this.requests = new ArrayBlockingQueue<>(REQUEST_CAPACITY);
        final GroupStatus published = status;
        this.failure = new GroupFailure(() -> published.role = GroupRole.UNAVAILABLE);
        this.events = new GroupEvents(group, member.listeners());
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
}
