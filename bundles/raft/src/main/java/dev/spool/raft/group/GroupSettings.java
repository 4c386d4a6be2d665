package dev.spool.raft.group;

import dev.spool.api.cluster.Membership;
import dev.spool.api.group.Durability;
import dev.spool.raft.core.RaftConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * How one group of this member is set up: what its configuration says, checked.
 *
 * @param group the group's name (also the name of its journal, term store and snapshots)
 * @param memberId this member's id in the group
 * @param bootstrap the members a group with an empty log starts with (written as its first entry); afterwards the log's
 *     membership is authoritative. With {@code join}, the members of the running group this member joins instead:
 *     the only ones it takes the log from until its log names members itself; this member is not among them
 * @param durability the durability of the group's journal
 * @param tickNanos the length of one Raft tick
 * @param electionTicks the election timeout, in ticks
 * @param heartbeatTicks the heartbeat interval, in ticks, below {@code electionTicks}
 * @param slotCapacity the number of entry slots, a power of two: the most entries in flight between intake and apply
 * @param snapshotIntervalEntries how many applied entries past the last snapshot trigger a new one
 * @param entriesKeptBehindSnapshot how many entries before a snapshot stay in the journal for slow followers
 * @param forwardToLeader whether a proposal or read barrier made while another member leads is forwarded to that
 *     leader (otherwise it fails with a {@link dev.spool.api.group.NotLeaderException} naming the leader)
 * @param sessionIdleTimeout how long a client session may go without a proposal before the group forgets it,
 *     measured on the leaders' clock readings the log carries; at least one millisecond
 * @param maxSessions the most client sessions the group remembers; beyond it the least recently used is forgotten
 * @param join whether this member joins a running group (etcd's {@code --initial-cluster-state=existing}): with an
 *     empty log it writes no first entry of its own, neither campaigns nor votes itself in, and waits for the
 *     group's leader to send it the log (or a snapshot) once a membership change added it
 */
public record GroupSettings(
        String group,
        String memberId,
        Membership bootstrap,
        Durability durability,
        long tickNanos,
        int electionTicks,
        int heartbeatTicks,
        int slotCapacity,
        long snapshotIntervalEntries,
        long entriesKeptBehindSnapshot,
        boolean forwardToLeader,
        Duration sessionIdleTimeout,
        int maxSessions,
        boolean join) {

    /** Entry slots kept free for the entries the core creates itself (a leader's no-op, a membership change). */
    static final int RESERVED_SLOTS = 8;
    /** How long a client session is remembered without a proposal, unless configured. */
    public static final Duration DEFAULT_SESSION_IDLE_TIMEOUT = Duration.ofMinutes(10);
    /** How many client sessions are remembered at most, unless configured. */
    public static final int DEFAULT_MAX_SESSIONS = 65_536;

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming the value that is wrong
     */
    public GroupSettings {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(bootstrap, "bootstrap");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(sessionIdleTimeout, "sessionIdleTimeout");
        if (join && bootstrap.contains(memberId)) {
            throw new IllegalArgumentException("group " + group + ": member " + memberId + " joins a running group,"
                    + " so its members " + bootstrap.members() + " are the group's as it runs, without " + memberId
                    + " (a membership change adds it)");
        }
        if (!join && !bootstrap.contains(memberId)) {
            throw new IllegalArgumentException("group " + group + ": member " + memberId
                    + " is not among the initial members " + bootstrap.members()
                    + " (a member joining a running group is configured to join)");
        }
        if (tickNanos <= 0) {
            throw new IllegalArgumentException("group " + group + ": tick length must be positive: " + tickNanos);
        }
        if (slotCapacity < 2 * RESERVED_SLOTS || Integer.bitCount(slotCapacity) != 1) {
            throw new IllegalArgumentException("group " + group + ": slot capacity must be a power of two of at least "
                    + 2 * RESERVED_SLOTS + ", not " + slotCapacity);
        }
        if (sessionIdleTimeout.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "group " + group + ": session idle timeout must be at least 1 ms, not " + sessionIdleTimeout);
        }
        if (maxSessions < 1 || maxSessions > SessionTable.MAX_SESSIONS) {
            throw new IllegalArgumentException("group " + group + ": the most client sessions must be between 1 and "
                    + SessionTable.MAX_SESSIONS + ", not " + maxSessions);
        }
        raftConfig(
                memberId,
                electionTicks,
                heartbeatTicks,
                slotCapacity,
                snapshotIntervalEntries,
                entriesKeptBehindSnapshot);
    }

    /**
     * Creates settings with the default session expiry ({@link #DEFAULT_SESSION_IDLE_TIMEOUT},
     * {@link #DEFAULT_MAX_SESSIONS}).
     *
     * @throws IllegalArgumentException naming the value that is wrong
     */
    public GroupSettings(
            String group,
            String memberId,
            Membership bootstrap,
            Durability durability,
            long tickNanos,
            int electionTicks,
            int heartbeatTicks,
            int slotCapacity,
            long snapshotIntervalEntries,
            long entriesKeptBehindSnapshot,
            boolean forwardToLeader) {
        this(
                group,
                memberId,
                bootstrap,
                durability,
                tickNanos,
                electionTicks,
                heartbeatTicks,
                slotCapacity,
                snapshotIntervalEntries,
                entriesKeptBehindSnapshot,
                forwardToLeader,
                DEFAULT_SESSION_IDLE_TIMEOUT,
                DEFAULT_MAX_SESSIONS,
                false);
    }

    /**
     * Creates settings that forward proposals and reads to the leader, as groups do by default.
     *
     * @throws IllegalArgumentException naming the value that is wrong
     */
    public GroupSettings(
            String group,
            String memberId,
            Membership bootstrap,
            Durability durability,
            long tickNanos,
            int electionTicks,
            int heartbeatTicks,
            int slotCapacity,
            long snapshotIntervalEntries,
            long entriesKeptBehindSnapshot) {
        this(
                group,
                memberId,
                bootstrap,
                durability,
                tickNanos,
                electionTicks,
                heartbeatTicks,
                slotCapacity,
                snapshotIntervalEntries,
                entriesKeptBehindSnapshot,
                true);
    }

    /**
     * Returns single-member settings with defaults: 10 ms ticks, election after 10 ticks, 1,024 slots.
     *
     * @param group the group's name
     * @param memberId the only member
     * @param durability the journal's durability
     * @return the settings
     */
    public static GroupSettings singleMember(String group, String memberId, Durability durability) {
        return new GroupSettings(
                group,
                memberId,
                Membership.of(dev.spool.api.cluster.Member.voter(memberId, "")),
                durability,
                10_000_000,
                10,
                1,
                1024,
                10_000,
                1_000);
    }

    /** @return the core's tuning for these settings */
    RaftConfig raftConfig() {
        return raftConfig(
                memberId,
                electionTicks,
                heartbeatTicks,
                slotCapacity,
                snapshotIntervalEntries,
                entriesKeptBehindSnapshot);
    }

    private static RaftConfig raftConfig(
            String memberId,
            int electionTicks,
            int heartbeatTicks,
            int slotCapacity,
            long snapshotIntervalEntries,
            long entriesKeptBehindSnapshot) {
        // The slot ring bounds what is in flight; the core's own limit only backs it up.
        final int perMessage = Math.min(256, slotCapacity / 4);
        return new RaftConfig(
                memberId,
                electionTicks,
                heartbeatTicks,
                perMessage,
                1 << 20,
                8,
                8 << 20,
                2 * slotCapacity,
                1 << 20,
                snapshotIntervalEntries,
                entriesKeptBehindSnapshot);
    }

    /**
     * Returns these settings with another slot capacity.
     *
     * @param capacity the copy's slot capacity
     * @return the copy
     */
    public GroupSettings withSlotCapacity(int capacity) {
        return new GroupSettings(
                group,
                memberId,
                bootstrap,
                durability,
                tickNanos,
                electionTicks,
                heartbeatTicks,
                capacity,
                snapshotIntervalEntries,
                entriesKeptBehindSnapshot,
                forwardToLeader,
                sessionIdleTimeout,
                maxSessions,
                join);
    }

    /**
     * Returns these settings with another snapshot policy.
     *
     * @param interval applied entries between snapshots
     * @param kept entries kept behind a snapshot
     * @return the copy
     */
    public GroupSettings withSnapshots(long interval, long kept) {
        return new GroupSettings(
                group,
                memberId,
                bootstrap,
                durability,
                tickNanos,
                electionTicks,
                heartbeatTicks,
                slotCapacity,
                interval,
                kept,
                forwardToLeader,
                sessionIdleTimeout,
                maxSessions,
                join);
    }

    /**
     * Returns these settings with another tick length.
     *
     * @param nanos the copy's tick length
     * @return the copy
     */
    public GroupSettings withTickNanos(long nanos) {
        return new GroupSettings(
                group,
                memberId,
                bootstrap,
                durability,
                nanos,
                electionTicks,
                heartbeatTicks,
                slotCapacity,
                snapshotIntervalEntries,
                entriesKeptBehindSnapshot,
                forwardToLeader,
                sessionIdleTimeout,
                maxSessions,
                join);
    }

    /**
     * Returns these settings with forwarding to the leader switched on or off.
     *
     * @param forward whether the copy forwards proposals and reads made on a follower to the leader
     * @return the copy
     */
    public GroupSettings withForwardToLeader(boolean forward) {
        return new GroupSettings(
                group,
                memberId,
                bootstrap,
                durability,
                tickNanos,
                electionTicks,
                heartbeatTicks,
                slotCapacity,
                snapshotIntervalEntries,
                entriesKeptBehindSnapshot,
                forward,
                sessionIdleTimeout,
                maxSessions,
                join);
    }

    /**
     * Returns these settings with another client session expiry.
     *
     * @param idleTimeout how long the copy remembers a session without a proposal
     * @param max the most sessions the copy remembers
     * @return the copy
     */
    public GroupSettings withSessions(Duration idleTimeout, int max) {
        return new GroupSettings(
                group,
                memberId,
                bootstrap,
                durability,
                tickNanos,
                electionTicks,
                heartbeatTicks,
                slotCapacity,
                snapshotIntervalEntries,
                entriesKeptBehindSnapshot,
                forwardToLeader,
                idleTimeout,
                max,
                join);
    }

    /**
     * Returns these settings for a member joining a running group, or bootstrapping one.
     *
     * @param running the members of the running group to join (for {@code joining}), or the initial members
     * @param joining whether the copy joins a running group
     * @return the copy
     */
    public GroupSettings withJoin(Membership running, boolean joining) {
        return new GroupSettings(
                group,
                memberId,
                running,
                durability,
                tickNanos,
                electionTicks,
                heartbeatTicks,
                slotCapacity,
                snapshotIntervalEntries,
                entriesKeptBehindSnapshot,
                forwardToLeader,
                sessionIdleTimeout,
                maxSessions,
                joining);
    }

    /** @return how long one election timeout lasts, in nanoseconds */
    long electionTimeoutNanos() {
        return electionTicks * tickNanos;
    }
}
