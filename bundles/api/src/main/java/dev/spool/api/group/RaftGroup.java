package dev.spool.api.group;

import dev.spool.api.cluster.Membership;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One member's view of one Raft group: the service an application proposes to and reads through. The Raft bundle
 * publishes one per configured group, with the property {@value #GROUP_PROPERTY} naming it.
 *
 * <p>Promises: a proposal's callback is called exactly once; an entry reported applied is committed and survives
 * whatever the journal's durability promises; entries are applied in log order on every member; a proposal in a
 * {@link ClientSession} is applied at most once however often it is retried; a {@link #readBarrier read barrier}
 * makes a following read of the state machine linearizable. The group never queues without limit: intake is bounded
 * by the group's slot buffer, and a proposal that finds it full waits at most until its deadline.
 *
 * <p>Threads: every method may be called from any thread. {@code propose} with a non-zero timeout may block the
 * caller up to that long, so it must not be called from a group's own callbacks with a timeout.
 *
 * @param <T> the payload type
 */
public interface RaftGroup<T> {

    /** The service property naming the group, also used by applications to target their state machine and codec. */
    String GROUP_PROPERTY = "spool.group";

    /** @return the group's name */
    String name();

    /** @return this member's id */
    String memberId();

    /** @return this member's current role; {@link GroupRole#UNAVAILABLE} while storage is missing */
    GroupRole role();

    /** @return the leader this member knows of, empty during an election or while unavailable */
    Optional<String> leaderId();

    /** @return the current term */
    long term();

    /** @return the highest index known committed */
    long commitIndex();

    /** @return the highest index the state machine has applied */
    long appliedIndex();

    /** @return the membership in effect (the latest in the log, committed or not) */
    Membership membership();

    /**
     * Proposes a payload outside any session. Returns once the proposal is in the group's intake (or refused); the
     * outcome arrives at {@code callback}. A retry after {@link OutcomeUnknownException} may apply it twice.
     *
     * <p>On a member that does not lead, a group that forwards (its default) sends the proposal to the leader it
     * knows: the callback hears the entry's index once the leader committed it and this member applied it, or the
     * leader's refusal; a proposal whose answer does not come within {@code timeout} (at least one election timeout)
     * or whose leader changes meanwhile fails with {@link OutcomeUnknownException}. A bounded number of forwarded
     * proposals wait for answers; beyond it the proposal fails with {@link BusyException}.
     *
     * @param payload the payload; the group keeps a reference until it is applied, so the caller must not change it
     * @param timeout how long to wait for room in a full intake; 0 fails at once with {@link BusyException}; when
     *     forwarded, also how long to wait for the leader's answer
     * @param unit the unit of {@code timeout}
     * @param callback learns the outcome; may be shared by many proposals
     */
    void propose(T payload, long timeout, TimeUnit unit, ProposalCallback callback);

    /**
     * Proposes a payload within a client session: the state machine applies the sequence number at most once, also
     * when the proposal is forwarded to the leader (the session id and sequence travel with it) and when it is
     * retried through another member.
     *
     * @param session the client's session
     * @param sequence the proposal's sequence number in the session: a new {@link ClientSession#nextSequence()}, or
     *     the number of the proposal being retried
     * @param payload the payload, not to be changed by the caller until the outcome is known
     * @param timeout how long to wait for room in a full intake
     * @param unit the unit of {@code timeout}
     * @param callback learns the outcome
     */
    void propose(
            ClientSession session, long sequence, T payload, long timeout, TimeUnit unit, ProposalCallback callback);

    /**
     * Opens a new client session with an id unique in practice (random 64 bits).
     *
     * @return the session
     */
    ClientSession openSession();

    /**
     * Takes a read barrier (Raft's read-index): once {@code callback} hears {@link ReadCallback#readable}, the state
     * machine reflects every entry committed before this call, and reading it is linearizable. Served by the leader;
     * a member that does not lead asks the leader for its read index (when the group forwards, its default) and
     * passes once it has applied up to it.
     *
     * @param timeout how long to wait for the barrier to pass
     * @param unit the unit of {@code timeout}
     * @param callback learns the outcome
     */
    void readBarrier(long timeout, TimeUnit unit, ReadCallback callback);

    /**
     * Changes the membership by one member (added, removed, or its voting status switched). Served by the leader
     * once it has committed an entry of its term and no other change is pending.
     *
     * @param next the membership to move to, differing from {@link #membership()} by exactly one member
     * @return completes with the change's log index once it is committed, or fails with a
     *     {@link RaftGroupException}, or an {@link IllegalArgumentException} if {@code next} changes more than one
     *     member
     */
    CompletionStage<Long> changeMembership(Membership next);

    /**
     * Hands leadership to another voting member: proposals are refused while the transfer runs.
     *
     * @param target the member to lead
     * @return completes once this member follows {@code target}, fails with a {@link RaftGroupException} if this
     *     member does not lead or the transfer did not finish within an election timeout, or with an
     *     {@link IllegalArgumentException} naming the voters if {@code target} is the leader itself or not a voter
     */
    CompletionStage<Void> transferLeadership(String target);

    /**
     * Takes a snapshot of the state machine now, at the index it has applied, through the same path as the snapshots
     * the group takes on its own (and so compacts the journal behind it the same way). Served by any member: each
     * snapshots its own replica.
     *
     * @return completes with the snapshot's last index once it is stored (the latest snapshot's, if nothing was
     *     applied since it, or the one being taken when this was asked), or fails with a {@link RaftGroupException}
     *     if the group is unavailable or storing the snapshot failed
     */
    default CompletionStage<Long> snapshot() {
        return CompletableFuture.failedFuture(
                new UnsupportedOperationException("group " + name() + " does not take snapshots on request"));
    }

    /**
     * Writes a backup of the group's replicated state to {@code file}: a snapshot this member takes now (as
     * {@link #snapshot()} does) and the entries after it that this member knows committed, never an uncommitted one,
     * with the index, term and membership they end at and a checksum over the whole file. Served by any member, leader
     * or follower; the caller's thread copies the bytes, with memory bounded whatever the group's size. The file is
     * written under a temporary name in the same directory, forced and renamed, so a crash never leaves a partial
     * backup under {@code file}. A group configured to restore from the file (on an empty member) starts from it.
     *
     * @param file where to write; must not exist, its directory must
     * @return what the file holds
     * @throws IOException naming the file, if it exists or cannot be written; nothing is left under its name
     * @throws RaftGroupException if the group is unavailable or the snapshot could not be taken
     */
    default GroupBackup backup(Path file) throws IOException, RaftGroupException {
        throw new UnsupportedOperationException("group " + name() + " does not write backups");
    }

    /**
     * Reads what this member holds (snapshot, journal) and, on the leader, how far each follower matches.
     *
     * @return completes with the progress, or fails with a {@link RaftGroupException} if the group is unavailable
     */
    default CompletionStage<GroupProgress> progress() {
        return CompletableFuture.failedFuture(
                new UnsupportedOperationException("group " + name() + " does not report its progress"));
    }

    /**
     * Registers a listener of role changes; it first hears the current role. A listener stays registered with the
     * group until removed, across restarts of the group (a storage rebind, a snapshot install): it hears
     * {@link GroupRole#UNAVAILABLE} while the group is stopped and its roles again once it runs.
     *
     * @param listener the listener
     */
    void addRoleListener(RoleListener listener);

    /**
     * Removes a listener.
     *
     * @param listener a registered listener
     */
    void removeRoleListener(RoleListener listener);
}
