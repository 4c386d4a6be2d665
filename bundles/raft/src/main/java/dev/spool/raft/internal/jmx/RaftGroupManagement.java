package dev.spool.raft.internal.jmx;

import dev.spool.api.group.GroupProgress;
import dev.spool.api.group.GroupRole;
import dev.spool.api.group.RaftGroup;
import dev.spool.api.health.HealthIndicator;
import dev.spool.raft.group.GroupCounters;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The {@link RaftGroupMXBean} of one group: reads the group's published status and counters, and its
 * {@link RaftGroup#progress() progress} for the journal and follower values.
 *
 * <p>Threads: any JMX client thread; operations wait for the group, at most {@link #OPERATION_SECONDS}.
 */
public final class RaftGroupManagement implements RaftGroupMXBean {

    /** How long an operation waits for the group before it answers that it did not finish. */
    static final long OPERATION_SECONDS = 30;
    /** How long a reading of the group's progress is reused. */
    private static final long PROGRESS_REUSE_NANOS = 500_000_000L;
    /** How long a reading of the progress may take; a group too busy to answer shows what was read last. */
    private static final long PROGRESS_WAIT_MILLIS = 1_000;

    private final RaftGroup<?> group;
    private final Supplier<GroupCounters> counters;
    private final HealthIndicator health;
    private final LongSupplier clock;

    private GroupProgress progress;
    private long progressRead;
    private boolean progressKnown;

    /**
     * Creates the MXBean of a group.
     *
     * @param group the group
     * @param counters its counters
     * @param health its health
     * @param clock the nanosecond clock the reuse of a progress reading is measured on
     */
    public RaftGroupManagement(
            RaftGroup<?> group, Supplier<GroupCounters> counters, HealthIndicator health, LongSupplier clock) {
        this.group = group;
        this.counters = counters;
        this.health = health;
        this.clock = clock;
    }

    @Override
    public String getGroup() {
        return group.name();
    }

    @Override
    public String getMemberId() {
        return group.memberId();
    }

    @Override
    public String getRole() {
        return group.role().name();
    }

    @Override
    public String getLeader() {
        return group.leaderId().orElse("");
    }

    @Override
    public boolean isLeading() {
        return group.role() == GroupRole.LEADER;
    }

    @Override
    public long getTerm() {
        return group.term();
    }

    @Override
    public long getCommitIndex() {
        return group.commitIndex();
    }

    @Override
    public long getAppliedIndex() {
        return group.appliedIndex();
    }

    @Override
    public Map<String, Long> getFollowerMatchIndex() {
        final GroupProgress p = progress();
        return p == null ? Map.of() : new TreeMap<>(p.matchIndex());
    }

    @Override
    public Map<String, Long> getFollowerLag() {
        final GroupProgress p = progress();
        if (p == null) {
            return Map.of();
        }
        final var lags = new LinkedHashMap<String, Long>();
        new TreeMap<>(p.matchIndex())
                .forEach((member, match) -> lags.put(member, Math.max(0, p.journalLastIndex() - match)));
        return lags;
    }

    @Override
    public long getLastSnapshotIndex() {
        final GroupProgress p = progress();
        return p == null ? 0 : p.snapshotIndex();
    }

    @Override
    public long getJournalFirstIndex() {
        final GroupProgress p = progress();
        return p == null ? 0 : p.journalFirstIndex();
    }

    @Override
    public long getJournalLastIndex() {
        final GroupProgress p = progress();
        return p == null ? 0 : p.journalLastIndex();
    }

    @Override
    public long getJournalBytes() {
        final GroupProgress p = progress();
        return p == null ? 0 : p.journalBytes();
    }

    @Override
    public int getJournalSegments() {
        final GroupProgress p = progress();
        return p == null ? 0 : p.journalSegments();
    }

    @Override
    public String getDurability() {
        final GroupProgress p = progress();
        return p == null ? "" : p.durability().name();
    }

    @Override
    public long getProposals() {
        return counters.get().proposals();
    }

    @Override
    public long getBusyRefusals() {
        return counters.get().busyRefusals();
    }

    @Override
    public long getElections() {
        return counters.get().elections();
    }

    @Override
    public long getLeaderChanges() {
        return counters.get().leaderChanges();
    }

    @Override
    public boolean isHealthy() {
        return health.health().healthy();
    }

    @Override
    public String getHealthCause() {
        return health.health().cause();
    }

    @Override
    public void transferLeadership(String target) {
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("group " + group.name() + ": name the member to lead");
        }
        await(group.transferLeadership(target.strip()), "transferring leadership to " + target.strip());
    }

    @Override
    public long takeSnapshot() {
        return await(group.snapshot(), "taking a snapshot");
    }

    /**
     * The group's progress, read at most every half second; {@code null} while the group does not run. Reading it
     * is a request to the group's core, answered between two of its duty cycles.
     */
    private synchronized GroupProgress progress() {
        final long now = clock.getAsLong();
        if (progressKnown && now - progressRead < PROGRESS_REUSE_NANOS) {
            return progress;
        }
        try {
            progress = group.progress().toCompletableFuture().get(PROGRESS_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            progress = null; // unavailable: nothing to show
        } catch (TimeoutException e) {
            return progress; // busy: what was read last
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return progress;
        }
        progressRead = now;
        progressKnown = true;
        return progress;
    }

    /** Waits for an operation; a failure becomes an exception any JMX client can read: its one-line cause. */
    private <V> V await(CompletionStage<V> operation, String what) {
        try {
            return operation.toCompletableFuture().get(OPERATION_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "group " + group.name() + ": " + what + " did not finish within " + OPERATION_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("group " + group.name() + ": interrupted " + what);
        }
    }
}
