package dev.spool.shell;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.group.ClientSession;
import dev.spool.api.group.Durability;
import dev.spool.api.group.GroupBackup;
import dev.spool.api.group.GroupProgress;
import dev.spool.api.group.GroupRole;
import dev.spool.api.group.ProposalCallback;
import dev.spool.api.group.RaftGroup;
import dev.spool.api.group.RaftGroupException;
import dev.spool.api.group.ReadCallback;
import dev.spool.api.group.RoleListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** A group whose state the test sets and whose administrative requests it records and answers. */
final class FakeGroup implements RaftGroup<Object> {

    final String name;
    final String memberId;
    GroupRole role = GroupRole.LEADER;
    String leader;
    Membership membership;
    GroupProgress progress = new GroupProgress(0, 1, 0, 1, 65536, Durability.SYNC, Map.of());
    CompletionStage<Long> snapshotAnswer = CompletableFuture.completedFuture(0L);
    final List<Membership> changes = new ArrayList<>();
    final List<String> transfers = new ArrayList<>();
    final List<Path> backups = new ArrayList<>();
    /** Thrown by {@link #backup} instead of writing, if set: an {@code IOException} or a {@code RaftGroupException}. */
    Exception backupFailure;

    FakeGroup(String name, String memberId, Member... members) {
        this.name = name;
        this.memberId = memberId;
        this.leader = memberId;
        this.membership = Membership.of(members);
    }

    FakeGroup following(String newLeader) {
        role = GroupRole.FOLLOWER;
        leader = newLeader;
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String memberId() {
        return memberId;
    }

    @Override
    public GroupRole role() {
        return role;
    }

    @Override
    public Optional<String> leaderId() {
        return Optional.ofNullable(leader);
    }

    @Override
    public long term() {
        return 3;
    }

    @Override
    public long commitIndex() {
        return 42;
    }

    @Override
    public long appliedIndex() {
        return 41;
    }

    @Override
    public Membership membership() {
        return membership;
    }

    @Override
    public void propose(Object payload, long timeout, TimeUnit unit, ProposalCallback callback) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void propose(
            ClientSession session,
            long sequence,
            Object payload,
            long timeout,
            TimeUnit unit,
            ProposalCallback callback) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ClientSession openSession() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void readBarrier(long timeout, TimeUnit unit, ReadCallback callback) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Long> changeMembership(Membership next) {
        changes.add(next);
        return CompletableFuture.completedFuture(43L);
    }

    @Override
    public CompletionStage<Void> transferLeadership(String target) {
        transfers.add(target);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Long> snapshot() {
        return snapshotAnswer;
    }

    @Override
    public GroupBackup backup(Path file) throws IOException, RaftGroupException {
        if (backupFailure instanceof IOException failure) {
            throw failure;
        }
        if (backupFailure instanceof RaftGroupException failure) {
            throw failure;
        }
        backups.add(file);
        return new GroupBackup(file, name, 1200, 1290, 3, membership, 40960);
    }

    @Override
    public CompletionStage<GroupProgress> progress() {
        return CompletableFuture.completedFuture(progress);
    }

    @Override
    public void addRoleListener(RoleListener listener) {}

    @Override
    public void removeRoleListener(RoleListener listener) {}
}
