package dev.spool.raft.group;

import dev.spool.api.cluster.Membership;
import dev.spool.api.codec.EntrySink;
import dev.spool.api.codec.EntrySource;
import dev.spool.api.codec.PayloadCodec;
import dev.spool.api.group.ProposalCallback;
import dev.spool.api.group.StateMachine;
import dev.spool.api.spi.journal.EntryReader;
import dev.spool.api.spi.journal.Journal;
import dev.spool.api.spi.journal.JournalService;
import dev.spool.api.spi.journal.TermStore;
import dev.spool.api.spi.raft.MembershipEntry;
import dev.spool.api.spi.snapshot.Snapshot;
import dev.spool.api.spi.snapshot.SnapshotStore;
import dev.spool.raft.core.EntryKind;
import dev.spool.raft.core.InitialState;
import dev.spool.raft.pipeline.EntrySlot;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidObjectException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Rebuilds a member of a group from what its storage holds: opens the journal and term store, restores the state
 * machine and session table from the latest snapshot (or resets them when there is none), and finds the membership
 * changes in the log after it, which the core needs to start. The configured members only bootstrap an empty
 * group, as its first entry (always durable); from then on the snapshot and the log are authoritative, and a
 * configuration that contradicts them is reported, not applied. A member configured to join a running group writes
 * no first entry: until the leader's entries (or snapshot) arrive, its membership is the running group's as
 * configured, which does not name it, so it neither campaigns nor takes messages from any other member.
 *
 * <p>Threads: the thread starting the group, before any agent runs.
 */
final class Recovery implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Recovery.class.getName());
    /** The application codec of an envelope that holds a membership: never called. */
    private static final PayloadCodec<Object> NO_PAYLOADS = new PayloadCodec<>() {
        @Override
        public void encode(Object payload, EntrySink sink) {
            throw new IllegalStateException("a bootstrap entry has no application payload");
        }

        @Override
        public Object decode(EntrySource source) {
            throw new IllegalStateException("a bootstrap entry has no application payload");
        }
    };

    private final Journal journal;
    private final TermStore terms;
    private final long snapshotIndex;
    private final long snapshotTerm;
    private final Membership snapshotMembership;
    private final InitialState initialState;
    private boolean handedOver;

    private Recovery(
            Journal journal,
            TermStore terms,
            long snapshotIndex,
            long snapshotTerm,
            Membership snapshotMembership,
            InitialState initialState) {
        this.journal = journal;
        this.terms = terms;
        this.snapshotIndex = snapshotIndex;
        this.snapshotTerm = snapshotTerm;
        this.snapshotMembership = snapshotMembership;
        this.initialState = initialState;
    }

    /**
     * Recovers a group member; on failure everything opened is closed again.
     *
     * @param restoreFrom a backup to restore a member that has never run from, or {@code null}
     *
     * @throws IOException naming the group and what failed
     */
    static <T> Recovery recover(
            GroupSettings settings,
            JournalService journals,
            SnapshotStore snapshots,
            StateMachine<T> stateMachine,
            SessionTable sessions,
            Path restoreFrom)
            throws IOException {
        final String group = settings.group();
        final Journal journal = journals.open(group, journals.defaultSpec().withDurability(settings.durability()));
        TermStore terms = null;
        try {
            terms = journals.openTermStore(group);
            if (restoreFrom != null) {
                restoreIfNew(settings, restoreFrom, journal, terms, snapshots);
            }
            long snapshotIndex = 0;
            long snapshotTerm = 0;
            long snapshotBytes = 0;
            // Without a snapshot, the membership before the log's first entry: only a log that records none (one
            // written before bootstrap entries) still takes it from the configuration.
            Membership membership = settings.bootstrap();
            final Optional<Snapshot> latest = snapshots.latest(group);
            if (latest.isPresent()) {
                try (Snapshot snapshot = latest.get()) {
                    restore(group, snapshot, stateMachine, sessions);
                    snapshotIndex = snapshot.metadata().lastIndex();
                    snapshotTerm = snapshot.metadata().lastTerm();
                    snapshotBytes = snapshot.descriptor().size();
                    membership = snapshot.metadata().membership();
                }
            } else {
                stateMachine.reset();
                sessions.clear();
            }
            if (journal.lastIndex() < snapshotIndex
                    || (snapshotIndex >= journal.firstIndex() && journal.termAt(snapshotIndex) != snapshotTerm)) {
                // the log ends before the snapshot, or disagrees with it (a snapshot installed from a leader
                // replaced a conflicting log): it continues after the snapshot
                journal.resetTo(snapshotIndex + 1);
            } else if (journal.firstIndex() > snapshotIndex + 1) {
                throw new InvalidObjectException("group " + group + ": journal starts at entry " + journal.firstIndex()
                        + " but the latest snapshot ends at " + snapshotIndex);
            }
            if (latest.isEmpty() && journal.lastIndex() == 0 && !settings.join()) {
                // A joining member writes nothing: its first entry is the group's, which the leader sends. An entry 1
                // of its own, of term 0 like the group's, would never be found to conflict with it.
                writeBootstrap(journal, settings.bootstrap());
            }
            // The core's log starts where the journal's does, not at the snapshot: a restarted leader then still
            // serves followers the entries kept behind its snapshot instead of offering only the snapshot.
            long coreBase = snapshotIndex;
            long coreBaseTerm = snapshotTerm;
            if (journal.firstIndex() == 1 && journal.lastIndex() >= 1) {
                coreBase = 0;
                coreBaseTerm = 0;
            } else if (journal.firstIndex() <= snapshotIndex) {
                coreBase = journal.firstIndex(); // the term before it is gone: the first entry held is the base
                coreBaseTerm = journal.termAt(coreBase);
            }
            final List<MembershipEntry> logMemberships = membershipChanges(journal, coreBase + 1);
            final boolean recorded = latest.isPresent() || !logMemberships.isEmpty();
            warnIfConfigurationDiffers(
                    settings,
                    !settings.join() && recorded,
                    logMemberships.isEmpty()
                            ? membership
                            : logMemberships.get(logMemberships.size() - 1).membership());
            final var state = new InitialState(
                    terms.term(),
                    terms.votedFor().orElse(null),
                    coreBase,
                    coreBaseTerm,
                    snapshotIndex,
                    snapshotTerm,
                    snapshotBytes,
                    membership,
                    logMemberships,
                    journal.isSuspect());
            return new Recovery(journal, terms, snapshotIndex, snapshotTerm, membership, state);
        } catch (IOException | RuntimeException e) {
            closeQuietly(journal, terms, e);
            throw e;
        }
    }

    /**
     * Restores the member from a backup if it has never spoken to a peer (term 0, no vote): then nothing it holds was
     * acknowledged to anyone, and what it holds is at most its bootstrap entry or a restore a crash cut short.
     */
    private static void restoreIfNew(
            GroupSettings settings, Path backup, Journal journal, TermStore terms, SnapshotStore snapshots)
            throws IOException {
        final String group = settings.group();
        if (terms.term() != 0 || terms.votedFor().isPresent()) {
            LOG.log(
                    Level.INFO,
                    "group " + group + ": not restoring from " + backup + ": this member is in term " + terms.term()
                            + " already (the setting restores only a member that has never run in its cluster)");
            return;
        }
        final BackupRestore.Contents restored =
                BackupRestore.restore(backup, group, settings.bootstrap(), journal, terms, snapshots);
        LOG.log(
                Level.INFO,
                "group " + group + ": restored from " + backup + ": snapshot at entry "
                        + restored.snapshotIndex() + ", entries to " + restored.lastIndex() + " of term "
                        + restored.lastTerm()
                        + ", then the configured members "
                        + settings.bootstrap().members().stream()
                                .map(m -> m.id())
                                .toList()
                        + " at entry "
                        + (restored.lastIndex() + 1));
    }

    /**
     * Appends a membership entry of {@code term}, forced whatever the journal's durability.
     *
     * @return its index
     */
    static long appendMembership(Journal journal, long term, Membership membership) throws IOException {
        final var entry = new EntrySlot<Object, ProposalCallback>();
        entry.fillCreated(journal.writer().nextIndex(), term, EntryKind.MEMBERSHIP, membership);
        return journal.writer().appendDurable(term, new EntryEnvelope<>(NO_PAYLOADS), entry);
    }

    /**
     * Writes a new group's first entry: its bootstrap membership, of term 0 (before any election), forced whatever
     * the journal's durability. Every member bootstrapped with the same members holds the same entry; from then on
     * the log alone says who votes.
     */
    private static void writeBootstrap(Journal journal, Membership bootstrap) throws IOException {
        final long index = appendMembership(journal, 0, bootstrap);
        if (index != 1) {
            throw new IllegalStateException(
                    "journal " + journal.name() + " wrote the bootstrap membership at entry " + index + ", not 1");
        }
    }

    private static <T> void restore(
            String group, Snapshot snapshot, StateMachine<T> stateMachine, SessionTable sessions) throws IOException {
        try (InputStream in = snapshot.openStream()) {
            final var data = new DataInputStream(in);
            final int layout = data.readInt();
            if (layout != SessionTable.LAYOUT_UNEXPIRING && layout != SessionTable.LAYOUT_EXPIRING) {
                throw new InvalidObjectException("group " + group + ": " + snapshot.descriptor()
                        + " has group layout " + layout + ", expected " + SessionTable.LAYOUT_UNEXPIRING + " or "
                        + SessionTable.LAYOUT_EXPIRING);
            }
            sessions.readFrom(data, layout);
            stateMachine.restore(in, snapshot.metadata().formatVersion());
        }
    }

    /** Scans the log after the snapshot for membership-change entries (decoding only their envelopes' kinds). */
    private static List<MembershipEntry> membershipChanges(Journal journal, long from) throws IOException {
        final var changes = new ArrayList<MembershipEntry>();
        if (from > journal.lastIndex()) {
            return changes;
        }
        try (EntryReader reader = journal.openReader(from)) {
            while (reader.read((index, term, source) -> {
                final Membership membership = EntryEnvelope.membershipIn(index, source);
                if (membership != null) {
                    changes.add(new MembershipEntry(index, membership));
                }
            })) {
                // every entry is visited
            }
        }
        return changes;
    }

    private static void warnIfConfigurationDiffers(GroupSettings settings, boolean recorded, Membership inLog) {
        // The order in which members are listed means nothing: only who they are, their addresses and votes do.
        if (recorded
                && !Set.copyOf(inLog.members())
                        .equals(Set.copyOf(settings.bootstrap().members()))) {
            LOG.log(
                    Level.WARNING,
                    "group " + settings.group() + ": the configured initial members "
                            + settings.bootstrap().members() + " differ from the membership the log records "
                            + inLog.members()
                            + "; the log's membership is authoritative and the configured one is ignored (change membership"
                            + " through RaftGroup.changeMembership)");
        }
    }

    private static void closeQuietly(Journal journal, TermStore terms, Exception failure) {
        try {
            journal.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
        if (terms != null) {
            try {
                terms.close();
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }

    Journal journal() {
        return journal;
    }

    TermStore terms() {
        return terms;
    }

    long snapshotIndex() {
        return snapshotIndex;
    }

    long snapshotTerm() {
        return snapshotTerm;
    }

    Membership snapshotMembership() {
        return snapshotMembership;
    }

    InitialState initialState() {
        return initialState;
    }

    /** Marks the journal and term store as owned by the running group: {@link #close()} leaves them open. */
    void handOver() {
        handedOver = true;
    }

    @Override
    public void close() throws IOException {
        if (!handedOver) {
            final var failure = new IOException("closing the storage of a group that did not start");
            closeQuietly(journal, terms, failure);
            if (failure.getSuppressed().length > 0) {
                throw failure;
            }
        }
    }
}
