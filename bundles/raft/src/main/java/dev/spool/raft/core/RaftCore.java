package dev.spool.raft.core;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.spi.raft.AppendEntries;
import dev.spool.api.spi.raft.AppendResponse;
import dev.spool.api.spi.raft.Heartbeat;
import dev.spool.api.spi.raft.HeartbeatResponse;
import dev.spool.api.spi.raft.InstallSnapshot;
import dev.spool.api.spi.raft.MembershipEntry;
import dev.spool.api.spi.raft.RaftMessage;
import dev.spool.api.spi.raft.SnapshotResponse;
import dev.spool.api.spi.raft.TimeoutNow;
import dev.spool.api.spi.raft.VoteRequest;
import dev.spool.api.spi.raft.VoteResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * One member's Raft state machine: pure and deterministic. It owns no thread, clock, randomness or I/O: time
 * arrives as {@link #tick()}s, randomness from the injected generator, the log is read through a {@link LogView},
 * and everything to store or send comes out as a {@link Ready}, acknowledged with {@link #advance()}. Progress of
 * storage comes back through {@link #flushed}, {@link #applied}, {@link #snapshotTaken} and {@link #journalFull}.
 *
 * <p>Implements leader election with randomized timeouts, pre-vote and check-quorum; a no-op entry per new leader
 * and commitment of current-term entries only (§5.4.2); pipelined replication with fast back-off; snapshots and
 * chunked InstallSnapshot; single-server membership changes; leadership transfer; read-index reads; and the
 * suspect-log rule (a member whose log lost unforced data neither votes nor counts toward a commit quorum until it
 * caught up with a leader's commit index); and the full-journal rule (a member whose journal is out of space does not
 * campaign, and as leader steps down after an election timeout if the others make a majority without it).
 *
 * <p>Threads: not thread-safe; one thread drives a core.
 */
public final class RaftCore {

    private static final Progress[] NO_PEERS = new Progress[0];

    private final RaftConfig config;
    private final String id;
    private final LogView view;
    private final RandomGenerator random;
    private final TermLog log;
    private final Memberships memberships;
    private final Ready ready = new Ready();
    private final Map<String, Progress> progress = new LinkedHashMap<>();
    /** The values of {@link #progress}, for iterating without an iterator object on every tick and Ready. */
    private Progress[] peers = NO_PEERS;
    /** The answers of this member's campaign, by voter: granted or refused. */
    private final Map<String, Boolean> votes = new HashMap<>();

    private final ReadQueue reads = new ReadQueue();
    /** The voters of the membership in effect; rebuilt when that membership changes. */
    private MajorityConfig majority;
    /** What each voter has flushed, for commit; a suspect log counts as nothing (fields: allocated once). */
    private final AckedIndexer flushedIndexes = this::flushedIndexOf;
    /** The read context each voter acknowledged, for read-index. */
    private final AckedIndexer readContexts = this::readContextOf;
    /** 1 for a voter heard from within the election timeout, for check-quorum. */
    private final AckedIndexer recentlyActive = this::activityOf;

    private long term;
    private String votedFor;
    private Role role = Role.FOLLOWER;
    /** What a tick does in this role, chosen once per role change (etcd's {@code r.tick}). */
    private Runnable tickRole = this::tickElection;
    /** What a message of the current term does in this role, after the checks every role makes (etcd's r.step). */
    private Consumer<RaftMessage> stepRole = this::stepFollower;

    private String leaderId;
    private boolean suspect;
    /** Whether storage last reported this member's journal out of space ({@link #journalFull}). */
    private boolean journalFull;
    /** Leader: ticks its journal has been out of space. */
    private int fullElapsed;

    private long commitIndex;
    private long flushedIndex;
    private long appliedIndex;
    private long applyScheduled;

    private int electionElapsed;
    private int heartbeatElapsed;
    private int randomizedElectionTimeout;

    /** Follower: the highest index known to match the current leader's log in this term. */
    private long leaderMatch;
    /** Follower: the match last reported to the leader. */
    private long matchReported;
    /** Follower: the highest commit index the current leader reported, -1 before any. */
    private long leaderCommitSeen = -1;

    /** Leader: the index of its no-op; reads and membership changes wait until it commits. */
    private long noopIndex;
    /** Leader: whether entries were proposed since the last Ready, to be sent in one batch. */
    private boolean replicationPending;

    private String transferee;
    private int transferElapsed;
    private long readContext;
    /** Messages refused because their sender is not a member. */
    private long refusedMessages;

    private long snapshotIndex;
    private long snapshotTerm;
    private long snapshotBytes;
    private Membership snapshotMembership;
    private boolean snapshotRequested;

    /** Follower: the snapshot being received and the offset of its next chunk. */
    private long incomingIndex;

    private long incomingTerm;
    private long incomingOffset;
    /** Follower: the chunk handed to storage by a STORE_SNAPSHOT_CHUNK command, until its outcome is reported. */
    private InstallSnapshot chunkInStorage;
    /** Snapshot chunks storage refused: each restarted its transfer. */
    private long refusedSnapshotChunks;

    /**
     * Starts a core over a recovered log.
     *
     * @param config the tuning
     * @param view the log as storage holds it
     * @param random the source of election-timeout randomness (seeded in simulations)
     * @param initial what storage recovered besides the log
     * @throws IllegalStateException if the log does not continue its base, or does not hold the snapshot's last
     *     entry when it starts before it
     */
    public RaftCore(RaftConfig config, LogView view, RandomGenerator random, InitialState initial) {
        this.config = Objects.requireNonNull(config, "config");
        this.id = config.memberId();
        this.view = Objects.requireNonNull(view, "view");
        this.random = Objects.requireNonNull(random, "random");
        this.log = new TermLog(initial.logBaseIndex(), initial.logBaseTerm());
        loadTerms(initial.logBaseIndex());
        if (initial.snapshotIndex() > log.baseIndex()
                && (!log.hasTerm(initial.snapshotIndex())
                        || log.term(initial.snapshotIndex()) != initial.snapshotTerm())) {
            throw new IllegalStateException("the log after " + log.baseIndex() + " does not hold the latest snapshot's"
                    + " last entry " + initial.snapshotIndex() + " of term " + initial.snapshotTerm());
        }
        final var logMemberships = new ArrayList<MembershipEntry>();
        for (MembershipEntry entry : initial.logMemberships()) {
            if (entry.index() > log.baseIndex() && entry.index() <= log.lastIndex()) {
                logMemberships.add(entry);
            }
        }
        this.memberships = new Memberships(initial.membership(), logMemberships);
        this.term = initial.term();
        this.votedFor = initial.votedFor();
        this.suspect = initial.suspectLog();
        this.snapshotIndex = initial.snapshotIndex();
        this.snapshotTerm = initial.snapshotTerm();
        this.snapshotBytes = initial.snapshotBytes();
        this.snapshotMembership = initial.membership();
        this.commitIndex = snapshotIndex;
        this.appliedIndex = snapshotIndex;
        this.applyScheduled = snapshotIndex;
        this.flushedIndex = log.lastIndex();
        resetElectionTimer();
    }

    /** Builds the term runs from the view with a binary search per term: terms never decrease along a log. */
    private void loadTerms(long base) {
        final long last = view.lastIndex();
        if (last <= base) {
            return;
        }
        if (view.firstIndex() > base + 1) {
            throw new IllegalStateException("log starts at " + view.firstIndex() + " but the snapshot ends at " + base);
        }
        long index = base + 1;
        while (index <= last) {
            final long runTerm = view.term(index);
            long low = index;
            long high = last;
            while (low < high) {
                final long mid = (low + high + 1) >>> 1;
                if (view.term(mid) == runTerm) {
                    low = mid;
                } else {
                    high = mid - 1;
                }
            }
            log.append(low, runTerm);
            index = low + 1;
        }
    }

    // ---------------------------------------------------------------------------------------------- inputs

    /** Advances time by one tick: elections, heartbeats, check-quorum, retransmissions, transfer deadline. */
    public void tick() {
        tickRole.run();
    }

    /** A follower's or candidate's tick: campaign once the randomized election timeout passed. */
    private void tickElection() {
        electionElapsed++;
        if (promotable() && electionElapsed >= randomizedElectionTimeout) {
            campaign(true, false);
        }
    }

    /** A leader's tick: check-quorum, heartbeats and retransmissions, the transfer's deadline. */
    private void tickHeartbeat() {
        heartbeatElapsed++;
        electionElapsed++;
        if (transferee != null && ++transferElapsed >= config.electionTicks()) {
            transferee = null;
        }
        if (electionElapsed >= config.electionTicks()) {
            electionElapsed = 0;
            if (majority().committedIndex(recentlyActive) == 0) {
                becomeFollower(term, null);
                return;
            }
            for (Progress p : peers) {
                p.recentActive = false;
            }
        }
        if (journalFull && ++fullElapsed >= config.electionTicks() && majority().decidesWithout(id)) {
            fullElapsed = 0;
            becomeFollower(term, null); // the others elect a leader that can write; this member does not campaign
            return;
        }
        if (heartbeatElapsed >= config.heartbeatTicks()) {
            heartbeatElapsed = 0;
            broadcastHeartbeat();
            for (Progress p : peers) {
                retransmit(p);
            }
        }
    }

    /** Resends what a lossy network may have dropped: an unanswered probe or chunk, a stalled window. */
    private void retransmit(Progress p) {
        switch (p.state) {
            case PROBE -> {
                p.waiting = false;
                sendAppend(p);
            }
            case REPLICATE -> {
                if (p.hasInflight() && ++p.ticksWithoutProgress >= config.electionTicks()) {
                    p.becomeProbe();
                    sendAppend(p);
                }
            }
            case SNAPSHOT -> {
                // One chunk in flight: resent only once an election timeout passed without an answer, so a slow
                // follower holds at most one chunk of this leader's at a time.
                if (!p.waiting || ++p.ticksWithoutProgress >= config.electionTicks()) {
                    sendSnapshotChunk(p);
                }
            }
        }
    }

    /**
     * Handles a message from another member. A message whose sender no membership from the commit index on names
     * (the one in effect there, or a later one not yet committed) is refused unanswered and counted
     * ({@link #refusedMessages()}): a stranger, or a member whose removal committed, takes no part in the group.
     * One exception keeps a member that missed a membership change live: a leader's message of the current term or
     * a later one is taken from a sender it does not know while it has no live leader of its own, and from then on
     * while it follows that sender (it may be the member the change added, and only its entries can tell so).
     *
     * @param m the message, addressed to this member
     */
    public void step(RaftMessage m) {
        if (!memberships.namedSince(commitIndex, m.from()) && !mayBeUnknownLeader(m)) {
            refusedMessages++;
            return;
        }
        if (m.term() > term) {
            if (!adoptHigherTerm(m)) {
                return;
            }
        } else if (m.term() < term) {
            answerStale(m);
            return;
        }
        if (m instanceof VoteRequest v) {
            handleVoteRequest(v); // every role answers votes alike
        } else {
            stepRole.accept(m);
        }
    }

    /**
     * A leader's messages of its term: its followers' answers. Nobody else leads this term, and a vote answered
     * after the campaign won changes nothing.
     */
    private void stepLeader(RaftMessage m) {
        if (m instanceof AppendResponse a) {
            handleAppendResponse(a);
        } else if (m instanceof HeartbeatResponse h) {
            handleHeartbeatResponse(h);
        } else if (m instanceof SnapshotResponse s) {
            handleSnapshotResponse(s);
        }
    }

    /** A pre-candidate's or candidate's: votes, or the term's leader, whom it follows from then on. */
    private void stepCandidate(RaftMessage m) {
        if (m instanceof VoteResponse v) {
            handleVoteResponse(v);
        } else if (m instanceof AppendEntries
                || m instanceof Heartbeat
                || m instanceof InstallSnapshot
                || m instanceof TimeoutNow) {
            becomeFollower(term, m.from());
            stepFollower(m);
        }
    }

    /** A follower's: what the leader of its term sends; answers meant for a leader or candidate are late. */
    private void stepFollower(RaftMessage m) {
        if (m instanceof AppendEntries a) {
            heardFromLeader(a);
            handleAppendEntries(a);
        } else if (m instanceof Heartbeat h) {
            heardFromLeader(h);
            handleHeartbeat(h);
        } else if (m instanceof InstallSnapshot s) {
            heardFromLeader(s);
            handleInstallSnapshot(s);
        } else if (m instanceof TimeoutNow t) {
            heardFromLeader(t);
            if (promotable()) {
                campaign(false, true);
            }
        }
    }

    private boolean mayBeUnknownLeader(RaftMessage m) {
        return (m instanceof AppendEntries || m instanceof Heartbeat || m instanceof InstallSnapshot)
                && m.term() >= term
                && role != Role.LEADER
                && (m.from().equals(leaderId) || !inLease());
    }

    /** A message of a higher term: returns whether to go on handling it. */
    private boolean adoptHigherTerm(RaftMessage m) {
        if (m instanceof VoteRequest v) {
            if (!v.leadershipTransfer() && inLease()) {
                // Check-quorum stickiness: a member that hears from a live leader does not let anyone depose it.
                ready.send(new VoteResponse(id, v.from(), term, v.preVote(), false));
                return false;
            }
            if (!v.preVote()) {
                becomeFollower(v.term(), null);
            }
            return true;
        }
        if (m instanceof VoteResponse v && v.preVote() && v.granted()) {
            return true; // a pre-vote granted in the term we would campaign in: nobody moved to it yet
        }
        if (m instanceof AppendEntries
                || m instanceof Heartbeat
                || m instanceof InstallSnapshot
                || m instanceof TimeoutNow) {
            becomeFollower(m.term(), m.from());
        } else {
            becomeFollower(m.term(), null);
        }
        return true;
    }

    /** A message of a lower term: tell a stale leader or pre-candidate the current term, ignore the rest. */
    private void answerStale(RaftMessage m) {
        if (m instanceof AppendEntries || m instanceof Heartbeat || m instanceof InstallSnapshot) {
            ready.send(new AppendResponse(id, m.from(), term, false, 0, 0, 0, suspect));
        } else if (m instanceof VoteRequest v && v.preVote()) {
            ready.send(new VoteResponse(id, v.from(), term, true, false));
        }
    }

    /** A leader's message in the current term: make sure we follow it; returns false if we lead (impossible). */
    private void heardFromLeader(RaftMessage m) {
        leaderId = m.from();
        electionElapsed = 0;
    }

    /**
     * Proposes one normal entry. The driver writes the payload for the returned index into its pipeline before the
     * next {@link #ready()}.
     *
     * @return the entry's index, or 0 if refused: not the leader, a leadership transfer in progress, or too many
     *     uncommitted entries (retry later)
     */
    public long propose() {
        if (role != Role.LEADER
                || transferee != null
                || log.lastIndex() - commitIndex >= config.maxUncommittedEntries()) {
            return 0;
        }
        replicationPending = true;
        return appendCreated(EntryKind.NORMAL, null);
    }

    /**
     * Proposes a single-server membership change: one member added or removed, or one member's voting status
     * changed. Refused unless this leader has committed an entry of its term and no other change is uncommitted.
     *
     * @param next the membership to move to
     * @return the membership entry's index, or 0 if refused
     * @throws IllegalArgumentException if {@code next} differs from the current membership by more than one member
     */
    public long proposeMembership(Membership next) {
        requireSingleServerChange(memberships.current(), next);
        if (role != Role.LEADER
                || transferee != null
                || commitIndex < noopIndex
                || memberships.currentIndex() > commitIndex) {
            return 0;
        }
        replicationPending = true;
        return appendCreated(EntryKind.MEMBERSHIP, next);
    }

    private static void requireSingleServerChange(Membership current, Membership next) {
        int changed = 0;
        for (Member member : next.members()) {
            if (!current.member(member.id()).map(member::equals).orElse(false)) {
                changed++;
            }
        }
        for (Member member : current.members()) {
            if (!next.contains(member.id())) {
                changed++;
            }
        }
        if (changed != 1) {
            throw new IllegalArgumentException(
                    "a membership change must change exactly one member: " + current + " -> " + next);
        }
    }

    /**
     * Starts handing leadership to {@code target}: catch it up, then tell it to campaign at once. Proposals are
     * refused until it succeeds or an election timeout passes.
     *
     * @param target a voting member other than this one
     * @return whether the transfer started (this member leads and the target votes)
     */
    public boolean transferLeadership(String target) {
        if (role != Role.LEADER || target.equals(id) || !memberships.current().isVoter(target)) {
            return false;
        }
        transferee = target;
        transferElapsed = 0;
        final Progress p = progress.get(target);
        if (p.match == log.lastIndex()) {
            ready.send(new TimeoutNow(id, target, term));
        } else if (p.state != Progress.State.SNAPSHOT) {
            p.becomeProbe(); // find out at once where the target stands rather than wait on the window
            sendAppend(p);
        }
        return true;
    }

    /**
     * Asks for a linearizable read. Once a heartbeat round confirmed this member still leads and the state machine
     * has applied the read index, the request appears among the Ready's reads. A new leader does not yet know how far
     * its predecessors committed, so until its term's no-op commits a read's index is that no-op's (as etcd holds
     * such reads back), rather than a refusal a caller could not tell from losing the leadership.
     *
     * @param requestId the caller's id for the request
     * @return whether the request was accepted: this member leads
     */
    public boolean readIndex(long requestId) {
        if (role != Role.LEADER) {
            return false;
        }
        readContext++;
        reads.add(requestId, Math.max(commitIndex, noopIndex), readContext);
        if (majority().committedIndex(readContexts) < readContext) {
            broadcastHeartbeat();
        }
        confirmReads();
        return true;
    }

    /**
     * Storage reports whether this member's journal is out of space (an append failed for lack of it and none
     * succeeded since). Entries leave a leader from its journal, so a full leader replicates nothing new and the group
     * commits nothing while it leads: a leader full for an election timeout steps down, if the other voters make a
     * majority without it, and a full member does not campaign. Votes and reads need no journal space and go on.
     *
     * @param full whether the journal is out of space
     */
    public void journalFull(boolean full) {
        journalFull = full;
        if (!full) {
            fullElapsed = 0;
        }
    }

    /**
     * Reports that the journal made entries up to {@code index} durable by its standard. A report about entries a
     * truncation has since replaced is recognised by the term and ignored.
     *
     * @param index the last entry flushed
     * @param entryTerm that entry's term
     */
    public void flushed(long index, long entryTerm) {
        if (index <= flushedIndex || !log.hasTerm(index) || log.term(index) != entryTerm) {
            return;
        }
        flushedIndex = index;
        if (role == Role.LEADER) {
            maybeCommit();
        } else if (leaderId != null && role == Role.FOLLOWER) {
            maybeClearSuspect();
            if (Math.min(leaderMatch, flushedIndex) > matchReported) {
                respondAppend(leaderId);
            }
        }
    }

    /**
     * Reports that the state machine applied entries up to {@code index}.
     *
     * @param index the last entry applied
     */
    public void applied(long index) {
        if (index <= appliedIndex) {
            return;
        }
        appliedIndex = index;
        if (!snapshotRequested && appliedIndex - snapshotIndex >= config.snapshotIntervalEntries()) {
            snapshotRequested = true;
            ready.takeSnapshot(appliedIndex);
        }
    }

    /**
     * Asks for a snapshot at the applied index now, as if the snapshot interval had passed (an operator's request).
     *
     * @return whether a snapshot is asked for (now or earlier, not yet reported taken); {@code false} when the latest
     *     snapshot already covers every applied entry
     */
    public boolean requestSnapshot() {
        if (snapshotRequested) {
            return true;
        }
        if (appliedIndex <= snapshotIndex) {
            return false;
        }
        snapshotRequested = true;
        ready.takeSnapshot(appliedIndex);
        return true;
    }

    /**
     * Reports that a snapshot asked for by {@link Ready#snapshotToTake()} is stored; the core compacts its log.
     *
     * @param index the snapshot's last index
     * @param sizeBytes the snapshot's size
     */
    public void snapshotTaken(long index, long sizeBytes) {
        snapshotRequested = false;
        if (index <= snapshotIndex || index > commitIndex || !log.hasTerm(index)) {
            return; // superseded by an installed snapshot
        }
        snapshotIndex = index;
        snapshotTerm = log.term(index);
        snapshotMembership = memberships.at(index);
        snapshotBytes = sizeBytes;
        final long purge = index - config.entriesKeptBehindSnapshot();
        if (purge > log.baseIndex()) {
            log.compactTo(purge);
            memberships.compactTo(purge);
            ready.addCommand().set(LogCommand.Type.COMPACT, purge + 1, purge, 0);
        }
    }

    /**
     * Returns what to do since the last {@link #advance()}; the same instance every time.
     *
     * @return the Ready
     */
    public Ready ready() {
        if (role == Role.LEADER) {
            for (Progress p : peers) {
                if (replicationPending) {
                    sendAppend(p);
                }
                announceCommit(p);
            }
        }
        replicationPending = false;
        final long applicable = Math.min(commitIndex, flushedIndex);
        if (applicable > applyScheduled) {
            applyScheduled = applicable;
            ready.applyUpTo(applicable);
        }
        reads.release(appliedIndex, ready);
        return ready;
    }

    /** Acknowledges the last {@link #ready()}: its hard state, commands and messages were handled. */
    public void advance() {
        ready.clear();
    }

    // ------------------------------------------------------------------------------------------- elections

    /**
     * Whether this member may campaign: it votes in the membership in effect, or in the one before it while the
     * change removing it is uncommitted. The latter lets a removed leader that stepped down before its removal
     * committed (check-quorum) finish the change: its log may be the only up-to-date one, and the other voters
     * still count it.
     */
    private boolean promotable() {
        if (suspect || journalFull) {
            return false;
        }
        final long changeIndex = memberships.currentIndex();
        return memberships.current().isVoter(id)
                || changeIndex > commitIndex && memberships.at(changeIndex - 1).isVoter(id);
    }

    private boolean inLease() {
        return leaderId != null && electionElapsed < config.electionTicks();
    }

    private void resetElectionTimer() {
        electionElapsed = 0;
        randomizedElectionTimeout = config.electionTicks() + random.nextInt(config.electionTicks());
    }

    private void campaign(boolean preVote, boolean leadershipTransfer) {
        final long campaignTerm;
        if (preVote) {
            enter(Role.PRE_CANDIDATE);
            campaignTerm = term + 1;
        } else {
            setHardState(term + 1, id);
            enter(Role.CANDIDATE);
            campaignTerm = term;
            leaderMatch = 0;
        }
        leaderId = null;
        progress.clear();
        peers = NO_PEERS;
        reads.clear();
        resetElectionTimer();
        votes.clear();
        votes.put(id, true);
        if (tally() == VoteResult.WON) {
            return;
        }
        for (Member voter : memberships.current().members()) {
            if (voter.voting() && !voter.id().equals(id)) {
                ready.send(new VoteRequest(
                        id, voter.id(), campaignTerm, log.lastIndex(), log.lastTerm(), preVote, leadershipTransfer));
            }
        }
    }

    private void handleVoteRequest(VoteRequest v) {
        final boolean canVote =
                v.from().equals(votedFor) || (votedFor == null && leaderId == null) || (v.preVote() && v.term() > term);
        final boolean upToDate = v.lastLogTerm() > log.lastTerm()
                || (v.lastLogTerm() == log.lastTerm() && v.lastLogIndex() >= log.lastIndex());
        final boolean granted = canVote && upToDate && !suspect;
        if (granted && !v.preVote()) {
            setHardState(term, v.from());
            resetElectionTimer();
        }
        ready.send(new VoteResponse(id, v.from(), granted ? v.term() : term, v.preVote(), granted));
    }

    private void handleVoteResponse(VoteResponse v) {
        final boolean expected = v.preVote() ? role == Role.PRE_CANDIDATE : role == Role.CANDIDATE;
        final long campaignTerm = v.preVote() ? term + 1 : term;
        if (!expected || v.term() != campaignTerm || !memberships.current().isVoter(v.from())) {
            return;
        }
        votes.put(v.from(), v.granted());
        if (tally() == VoteResult.LOST) {
            becomeFollower(term, null);
        }
    }

    /**
     * Tallies the campaign, moving on if it won: from pre-vote to the election, from the election to leading.
     *
     * @return where the campaign stood
     */
    private VoteResult tally() {
        final VoteResult result = majority().voteResult(votes);
        if (result == VoteResult.WON) {
            if (role == Role.PRE_CANDIDATE) {
                campaign(false, false);
            } else {
                becomeLeader();
            }
        }
        return result;
    }

    /** Takes a role, choosing once what its ticks and messages do. */
    private void enter(Role next) {
        role = next;
        switch (next) {
            case LEADER -> {
                tickRole = this::tickHeartbeat;
                stepRole = this::stepLeader;
            }
            case FOLLOWER -> {
                tickRole = this::tickElection;
                stepRole = this::stepFollower;
            }
            case PRE_CANDIDATE, CANDIDATE -> {
                tickRole = this::tickElection;
                stepRole = this::stepCandidate;
            }
        }
    }

    private void becomeFollower(long newTerm, String leader) {
        // What this member knows of how far it matches a leader holds for one term and one leader only: the same
        // member leading a later term may have replaced entries meanwhile (while it followed someone else).
        if (newTerm > term || role != Role.FOLLOWER || !Objects.equals(leader, leaderId)) {
            leaderMatch = 0;
            matchReported = 0;
            leaderCommitSeen = -1;
        }
        if (newTerm > term) {
            setHardState(newTerm, null);
        }
        enter(Role.FOLLOWER);
        leaderId = leader;
        progress.clear();
        peers = NO_PEERS;
        reads.clear();
        transferee = null;
        replicationPending = false;
        resetElectionTimer();
    }

    private void becomeLeader() {
        enter(Role.LEADER);
        leaderId = id;
        transferee = null;
        heartbeatElapsed = 0;
        electionElapsed = 0;
        progress.clear();
        peers = NO_PEERS;
        syncProgress();
        noopIndex = appendCreated(EntryKind.NOOP, null);
        for (Progress p : peers) {
            sendAppend(p);
        }
    }

    private void setHardState(long newTerm, String vote) {
        term = newTerm;
        votedFor = vote;
        ready.hardState(term, votedFor);
    }

    // ----------------------------------------------------------------------------------- leader replication

    private long appendCreated(EntryKind kind, Membership membership) {
        final long index = log.lastIndex() + 1;
        log.append(index, term);
        final LogCommand last = ready.lastCommand();
        if (kind != EntryKind.NORMAL || last == null || !last.extend(index, term)) {
            ready.addCommand().set(LogCommand.Type.APPEND, index, index, term).created(kind, membership);
        }
        if (membership != null) {
            memberships.append(new MembershipEntry(index, membership));
            membershipChanged();
        }
        return index;
    }

    /** Keeps one progress per other member of the membership in effect. */
    private void syncProgress() {
        final Membership current = memberships.current();
        progress.keySet().removeIf(member -> !current.contains(member));
        for (Member member : current.members()) {
            if (!member.id().equals(id) && !progress.containsKey(member.id())) {
                progress.put(member.id(), new Progress(member.id(), config.maxInflightMessages(), log.lastIndex() + 1));
            }
        }
        peers = progress.values().toArray(NO_PEERS);
    }

    private void sendAppend(Progress p) {
        switch (p.state) {
            case SNAPSHOT -> {
                return;
            }
            case PROBE -> {
                if (p.waiting) {
                    return;
                }
            }
            case REPLICATE -> {
                if (p.windowFull(config.maxInflightBytes()) || p.next > log.lastIndex()) {
                    return;
                }
            }
        }
        do {
            final long prev = p.next - 1;
            if (prev < log.baseIndex()) {
                p.becomeSnapshot(snapshotIndex);
                sendSnapshotChunk(p);
                return;
            }
            long last = Math.min(log.lastIndex(), prev + config.maxEntriesPerMessage());
            long bytes = 0;
            if (last > prev) {
                last = Math.min(last, log.endOfRunAt(prev + 1));
                bytes = view.bytes(prev + 1, last);
                while (last > prev + 1 && bytes > config.maxBytesPerMessage()) {
                    last = prev + (last - prev) / 2;
                    bytes = view.bytes(prev + 1, last);
                }
            }
            ready.send(new AppendEntries(
                    id,
                    p.memberId,
                    term,
                    prev,
                    log.term(prev),
                    last,
                    last > prev ? log.term(last) : 0,
                    commitIndex,
                    memberships.between(prev + 1, last)));
            p.commitSent = Math.max(p.commitSent, Math.min(last, commitIndex));
            if (p.state == Progress.State.PROBE) {
                p.waiting = true;
                return;
            }
            p.addInflight(last, bytes);
            p.next = last + 1;
        } while (!p.windowFull(config.maxInflightBytes()) && p.next <= log.lastIndex());
    }

    private void sendSnapshotChunk(Progress p) {
        if (p.snapshotIndex != snapshotIndex) {
            p.becomeSnapshot(snapshotIndex);
        }
        final long length = Math.min(config.snapshotChunkBytes(), snapshotBytes - p.snapshotOffset);
        ready.send(new InstallSnapshot(
                id,
                p.memberId,
                term,
                snapshotIndex,
                snapshotTerm,
                snapshotMembership,
                p.snapshotOffset,
                length,
                p.snapshotOffset + length == snapshotBytes));
        p.waiting = true;
        p.ticksWithoutProgress = 0;
    }

    private void broadcastHeartbeat() {
        for (Progress p : peers) {
            sendHeartbeat(p);
        }
    }

    private void sendHeartbeat(Progress p) {
        final long commit = Math.min(p.match, commitIndex);
        p.commitSent = Math.max(p.commitSent, commit);
        ready.send(new Heartbeat(id, p.memberId, term, commit, readContext));
    }

    /**
     * Tells a follower a commit index it does not know yet and that no AppendEntries of this Ready carries, so it
     * applies without waiting for the next heartbeat.
     */
    private void announceCommit(Progress p) {
        if (Math.min(p.match, commitIndex) > p.commitSent && p.state != Progress.State.SNAPSHOT) {
            sendHeartbeat(p);
        }
    }

    private void handleAppendResponse(AppendResponse r) {
        final Progress p = progress.get(r.from());
        if (p == null) {
            return;
        }
        p.recentActive = true;
        final boolean trustedAgain = p.suspect && !r.suspect();
        p.suspect = r.suspect();
        if (r.success()) {
            if (p.updateMatch(r.matchIndex()) || trustedAgain) {
                if (p.state == Progress.State.PROBE) {
                    p.becomeReplicate();
                }
                maybeCommit();
                if (role == Role.LEADER && r.from().equals(transferee) && p.match == log.lastIndex()) {
                    ready.send(new TimeoutNow(id, transferee, term));
                }
            }
            if (role == Role.LEADER) {
                sendAppend(p);
            }
            return;
        }
        final long rejectedPrev = r.matchIndex();
        if (r.suspect() && rejectedPrev <= p.match) {
            p.match = 0; // the follower lost entries it had acknowledged (it does not count toward commits)
        }
        if (rejectedPrev <= p.match
                || (p.state == Progress.State.PROBE && rejectedPrev != p.next - 1)
                || p.state == Progress.State.SNAPSHOT) {
            return; // stale: answers a message sent before a newer match or probe
        }
        long next = r.conflictIndex();
        if (r.conflictTerm() != 0) {
            final long lastOfTerm = log.lastIndexOfTerm(r.conflictTerm());
            if (lastOfTerm >= 0) {
                next = lastOfTerm + 1;
            }
        }
        p.becomeProbe();
        p.next = Math.max(p.match + 1, Math.min(next, rejectedPrev));
        sendAppend(p);
    }

    private void handleHeartbeatResponse(HeartbeatResponse h) {
        final Progress p = progress.get(h.from());
        if (p == null) {
            return;
        }
        p.recentActive = true;
        p.ackedContext = Math.max(p.ackedContext, h.context());
        if (p.state != Progress.State.SNAPSHOT && !p.hasInflight() && h.matchIndex() < p.match) {
            p.becomeProbe(); // the follower restarted and no longer knows how far it matches: find out again
            sendAppend(p);
        } else if (p.state == Progress.State.PROBE && p.match < log.lastIndex()) {
            p.waiting = false;
            sendAppend(p);
        }
        confirmReads();
    }

    private void handleSnapshotResponse(SnapshotResponse r) {
        final Progress p = progress.get(r.from());
        if (p == null) {
            return;
        }
        p.recentActive = true;
        if (r.complete()) {
            if (p.updateMatch(r.lastIndex()) || p.state == Progress.State.SNAPSHOT) {
                p.becomeProbe();
                sendAppend(p);
            }
            return;
        }
        if (p.state == Progress.State.SNAPSHOT && r.lastIndex() == p.snapshotIndex) {
            if (p.waiting && r.nextOffset() == p.snapshotOffset) {
                return; // a duplicate answer, or the chunk in flight was refused: the retransmission timer resends
            }
            p.snapshotOffset = r.nextOffset();
            sendSnapshotChunk(p);
        }
    }

    /** Commits the highest index a quorum of voters has flushed, if it belongs to this term (§5.4.2). */
    private void maybeCommit() {
        final long quorumMatch = majority().committedIndex(flushedIndexes);
        if (quorumMatch > commitIndex && log.term(quorumMatch) == term) {
            commitIndex = quorumMatch;
            if (memberships.currentIndex() <= commitIndex && !votes(memberships.current(), id)) {
                becomeFollower(term, null); // this leader removed itself, and that is now committed
                return;
            }
            confirmReads();
        }
    }

    /** {@link Membership#isVoter} without its {@code Optional}s: called at every commit, it must not allocate. */
    private static boolean votes(Membership membership, String member) {
        final List<Member> members = membership.members();
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).id().equals(member)) {
                return members.get(i).voting();
            }
        }
        return false;
    }

    /** The voters of the membership in effect, rebuilt only when that membership changed: no allocation per call. */
    private MajorityConfig majority() {
        final Membership current = memberships.current();
        if (majority == null || majority.membership() != current) {
            majority = new MajorityConfig(current);
        }
        return majority;
    }

    private long flushedIndexOf(String voter) {
        if (voter.equals(id)) {
            return flushedIndex;
        }
        final Progress p = progress.get(voter);
        return p == null || p.suspect ? 0 : p.match;
    }

    private long readContextOf(String voter) {
        if (voter.equals(id)) {
            return readContext;
        }
        final Progress p = progress.get(voter);
        return p == null ? 0 : p.ackedContext;
    }

    private long activityOf(String voter) {
        if (voter.equals(id)) {
            return 1;
        }
        final Progress p = progress.get(voter);
        return p != null && p.recentActive ? 1 : 0;
    }

    private void membershipChanged() {
        if (role == Role.LEADER) {
            syncProgress();
            if (transferee != null && !memberships.current().isVoter(transferee)) {
                transferee = null;
            }
            maybeCommit();
        }
    }

    // --------------------------------------------------------------------------------------------- reads

    private void confirmReads() {
        if (reads.firstUnconfirmedContext() >= 0) {
            reads.confirmUpTo(majority().committedIndex(readContexts));
        }
    }

    // ----------------------------------------------------------------------------------- follower side

    private void handleAppendEntries(AppendEntries a) {
        final long prev = a.prevLogIndex();
        final long first;
        if (prev < log.baseIndex()) {
            first = log.baseIndex() + 1; // entries up to the base are committed, so they match the leader's
        } else if (prev > log.lastIndex() || log.term(prev) != a.prevLogTerm()) {
            rejectAppend(a);
            return;
        } else {
            first = prev + 1;
        }
        long last = a.lastIndex();
        if (last >= first) {
            // The conflict check covers the whole range, even what storage has no room for: the truncation frees room.
            final long conflict = firstConflict(first, Math.min(last, log.lastIndex()), a.entryTerm());
            if (conflict > 0) {
                if (conflict <= commitIndex) {
                    throw new IllegalStateException(id + ": entry " + conflict + " conflicts with leader " + a.from()
                            + " but is committed (commit index " + commitIndex + ")");
                }
                truncateAfter(conflict - 1);
            }
            last = Math.min(last, Math.max(log.lastIndex(), view.appendLimit()));
            if (last > log.lastIndex()) {
                appendReplicated(a, log.lastIndex() + 1, last);
            }
        }
        leaderMatch = Math.max(leaderMatch, last);
        leaderCommitSeen = Math.max(leaderCommitSeen, a.leaderCommit());
        commitIndex = Math.max(commitIndex, Math.min(a.leaderCommit(), leaderMatch));
        maybeClearSuspect();
        respondAppend(a.from());
    }

    private long firstConflict(long first, long last, long entryTerm) {
        long index = first;
        while (index <= last) {
            if (log.term(index) != entryTerm) {
                return index;
            }
            index = log.endOfRunAt(index) + 1;
        }
        return 0;
    }

    private void truncateAfter(long index) {
        log.truncateAfter(index);
        flushedIndex = Math.min(flushedIndex, index);
        ready.addCommand().set(LogCommand.Type.TRUNCATE, index + 1, index, 0);
        final long before = memberships.currentIndex();
        memberships.truncateAfter(index);
        if (memberships.currentIndex() != before) {
            membershipChanged();
        }
    }

    private void appendReplicated(AppendEntries a, long from, long last) {
        log.append(last, a.entryTerm());
        boolean holdsMembership = false;
        for (MembershipEntry entry : a.memberships()) {
            if (entry.index() >= from && entry.index() <= last) {
                memberships.append(entry);
                holdsMembership = true;
            }
        }
        ready.addCommand()
                .set(LogCommand.Type.APPEND, from, last, a.entryTerm())
                .replicated(a, holdsMembership);
    }

    private void rejectAppend(AppendEntries a) {
        final long prev = a.prevLogIndex();
        final long conflictTerm;
        final long conflictIndex;
        if (prev > log.lastIndex()) {
            conflictTerm = 0;
            conflictIndex = log.lastIndex() + 1;
        } else {
            conflictTerm = log.term(prev);
            conflictIndex = Math.max(log.firstIndexOfTermAt(prev), commitIndex + 1);
        }
        ready.send(new AppendResponse(id, a.from(), term, false, prev, conflictTerm, conflictIndex, suspect));
    }

    private void respondAppend(String leader) {
        matchReported = Math.max(matchReported, Math.min(leaderMatch, flushedIndex));
        ready.send(new AppendResponse(id, leader, term, true, Math.min(leaderMatch, flushedIndex), 0, 0, suspect));
    }

    /**
     * A suspect log is trusted again once it holds, flushed, a current leader's commit index, and that index is of
     * the leader's term: only then does it cover every entry committed before (the leader's no-op committed).
     */
    private void maybeClearSuspect() {
        final long target = leaderCommitSeen;
        if (suspect
                && target > 0
                && leaderMatch >= target
                && flushedIndex >= target
                && log.hasTerm(target)
                && log.term(target) == term) {
            suspect = false;
        }
    }

    private void handleHeartbeat(Heartbeat h) {
        commitIndex = Math.max(commitIndex, Math.min(h.commitIndex(), leaderMatch));
        leaderCommitSeen = Math.max(leaderCommitSeen, h.commitIndex());
        maybeClearSuspect();
        ready.send(new HeartbeatResponse(id, h.from(), term, h.context(), Math.min(leaderMatch, flushedIndex)));
    }

    private void handleInstallSnapshot(InstallSnapshot s) {
        if (s.lastIndex() <= commitIndex) {
            ready.send(new SnapshotResponse(id, s.from(), term, s.lastIndex(), s.offset() + s.length(), true));
            return;
        }
        if (s.lastIndex() != incomingIndex || s.lastTerm() != incomingTerm) {
            incomingIndex = s.lastIndex();
            incomingTerm = s.lastTerm();
            incomingOffset = 0;
        }
        if (s.offset() != incomingOffset || chunkInStorage != null) {
            ready.send(new SnapshotResponse(id, s.from(), term, s.lastIndex(), incomingOffset, false));
            return;
        }
        ready.addCommand().set(LogCommand.Type.STORE_SNAPSHOT_CHUNK, 0, 0, 0).snapshot(s, null, false);
        chunkInStorage = s;
    }

    /**
     * Reports the outcome of the last {@link LogCommand.Type#STORE_SNAPSHOT_CHUNK}, after the Ready that held it was
     * advanced and before anything else is stepped. A stored chunk is acknowledged with the offset of the next one; a
     * stored last chunk, which storage verified whole, is installed. A refused chunk (its bytes malformed, or the
     * transfer they complete does not verify: storage discarded it) restarts the transfer: the leader is answered
     * with offset 0 and the refusal counted ({@link #refusedSnapshotChunks()}).
     *
     * @param stored whether storage took the chunk
     * @throws IllegalStateException if no chunk is being stored
     */
    public void snapshotChunkStored(boolean stored) {
        final InstallSnapshot s = chunkInStorage;
        if (s == null) {
            throw new IllegalStateException(id + ": no snapshot chunk is being stored");
        }
        chunkInStorage = null;
        if (!stored) {
            refusedSnapshotChunks++;
            incomingIndex = 0;
            incomingTerm = 0;
            incomingOffset = 0;
            ready.send(new SnapshotResponse(id, s.from(), term, s.lastIndex(), 0, false));
            return;
        }
        incomingOffset += s.length();
        if (s.done()) {
            installSnapshot(s);
        }
        ready.send(new SnapshotResponse(id, s.from(), term, s.lastIndex(), incomingOffset, s.done()));
    }

    private void installSnapshot(InstallSnapshot s) {
        final long index = s.lastIndex();
        final boolean keepLog = log.hasTerm(index) && log.term(index) == s.lastTerm();
        if (keepLog) {
            log.compactTo(index);
            memberships.compactTo(index);
        } else {
            log.reset(index, s.lastTerm());
            memberships.reset(s.membership());
        }
        ready.addCommand()
                .set(LogCommand.Type.INSTALL_SNAPSHOT, index, index, s.lastTerm())
                .snapshot(s, s.membership(), keepLog);
        snapshotIndex = index;
        snapshotTerm = s.lastTerm();
        snapshotMembership = s.membership();
        snapshotBytes = incomingOffset;
        commitIndex = Math.max(commitIndex, index);
        appliedIndex = Math.max(appliedIndex, index);
        applyScheduled = Math.max(applyScheduled, index);
        flushedIndex = Math.max(flushedIndex, index);
        leaderMatch = Math.max(leaderMatch, index);
        incomingIndex = 0;
        incomingTerm = 0;
        incomingOffset = 0;
    }

    // ------------------------------------------------------------------------------------------ queries

    /** @return this member's id */
    public String id() {
        return id;
    }

    /** @return the current term */
    public long term() {
        return term;
    }

    /** @return the vote in the current term, or {@code null} */
    public String votedFor() {
        return votedFor;
    }

    /** @return the current role */
    public Role role() {
        return role;
    }

    /** @return the leader this member follows (itself when leading), or {@code null} */
    public String leaderId() {
        return leaderId;
    }

    /** @return the commit index */
    public long commitIndex() {
        return commitIndex;
    }

    /** @return the last index of the log */
    public long lastIndex() {
        return log.lastIndex();
    }

    /** @return the highest index reported flushed */
    public long flushedIndex() {
        return flushedIndex;
    }

    /** @return the highest index reported applied */
    public long appliedIndex() {
        return appliedIndex;
    }

    /**
     * Returns, on the leader, each follower's highest index known replicated.
     *
     * @return the match index by member id; empty unless this member leads
     */
    public Map<String, Long> matchIndexes() {
        if (role != Role.LEADER) {
            return Map.of();
        }
        final var matches = new HashMap<String, Long>();
        for (Progress p : peers) {
            matches.put(p.memberId, p.match);
        }
        return matches;
    }

    /** @return the last index covered by the latest snapshot, 0 if none */
    public long snapshotIndex() {
        return snapshotIndex;
    }

    /**
     * Returns the term of an entry the core still knows.
     *
     * @param index an index between the log's base and its last index
     * @return its term
     */
    public long termAt(long index) {
        return log.term(index);
    }

    /**
     * Tells whether the core still knows an entry's term: a snapshot's compaction forgets the terms before its base.
     *
     * @param index an index
     * @return whether {@link #termAt} answers for it
     */
    public boolean hasTerm(long index) {
        return log.hasTerm(index);
    }

    /** @return the membership in effect (the latest appended) */
    public Membership membership() {
        return memberships.current();
    }

    /**
     * Returns the membership in effect at the commit index: with {@link #membership()}, whom the group may still
     * count on (a single-server change leaves at most one uncommitted membership after it). Allocates nothing.
     *
     * @return the committed membership
     */
    public Membership committedMembership() {
        return memberships.at(commitIndex);
    }

    /** @return whether the log is suspect */
    public boolean isSuspect() {
        return suspect;
    }

    /**
     * Returns how many messages were refused because no membership from the commit index on names their sender.
     *
     * @return the count since the core started
     */
    public long refusedMessages() {
        return refusedMessages;
    }

    /** @return the snapshot chunks storage refused ({@link #snapshotChunkStored(boolean)}), each a restarted transfer */
    public long refusedSnapshotChunks() {
        return refusedSnapshotChunks;
    }

    /** @return the target of the leadership transfer in progress, or {@code null} */
    public String transferee() {
        return transferee;
    }

    @Override
    public String toString() {
        return id + "[" + role + " t" + term + " last " + log.lastIndex() + " commit " + commitIndex + "]";
    }
}
