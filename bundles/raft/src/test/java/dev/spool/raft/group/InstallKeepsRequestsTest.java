package dev.spool.raft.group;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spool.api.group.Durability;
import dev.spool.api.group.GroupRole;
import dev.spool.api.group.RoleListener;
import dev.spool.api.spi.raft.AppendEntries;
import dev.spool.api.spi.raft.InstallSnapshot;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower that installs a snapshot restarts its group from storage; what waits on the group from outside does not
 * end with that restart. The follower hears heartbeats (so it knows the leader and forwards to it) but no
 * AppendEntries while the leader commits its forwarded proposals, snapshots past them and compacts its journal: the
 * follower then catches up by a snapshot that covers proposals it forwarded and still waits to apply.
 */
@Timeout(120)
class InstallKeepsRequestsTest {

    private static final int FORWARDED = 50;

    @TempDir
    Path directory;

    private LocalCluster cluster;

    @AfterEach
    void tearDown() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @DisplayName("proposals a follower forwarded and the leader committed complete as applied when the follower takes"
            + " them in through a snapshot, and its role listeners go on hearing role changes after the install")
    void installCompletesForwardedProposalsAndKeepsListeners() throws Exception {
        final var network = new InProcessNetwork();
        cluster = new LocalCluster(
                directory,
                "install",
                LocalStorage.SMALL_SEGMENTS,
                3,
                Durability.NONE,
                network,
                ChecksumMachine::new,
                new BytesCodec(),
                1_000_000,
                200,
                20);
        cluster.startAll();
        final LocalCluster.Node leader = cluster.awaitLeader();
        final LocalCluster.Node follower = cluster.nodes.stream()
                .filter(node -> node != leader)
                .findFirst()
                .orElseThrow();
        final List<GroupRole> heard = new CopyOnWriteArrayList<>();
        final RoleListener listener = (group, role, term, leaderId) -> heard.add(role);
        follower.group().addRoleListener(listener);
        Await.until(
                "the listener hears the follower's role", () -> heard.contains(GroupRole.FOLLOWER), cluster::describe);

        network.loseTo(follower.id(), AppendEntries.class);
        network.loseTo(follower.id(), InstallSnapshot.class);
        final var forwarded = new Outcomes();
        final long before = leader.group().commitIndex();
        for (int i = 0; i < FORWARDED; i++) {
            follower.group().propose(new byte[] {(byte) i, 1}, 60, TimeUnit.SECONDS, forwarded);
        }
        Await.until(
                "the leader commits the forwarded proposals",
                () -> leader.group().commitIndex() >= before + FORWARDED,
                cluster::describe);
        final var direct = new Outcomes();
        for (int i = 0; i < 1_000; i++) {
            leader.group().propose(new byte[] {(byte) i, 2}, 60, TimeUnit.SECONDS, direct);
        }
        Await.until(
                "the leader applies everything and snapshots past the forwarded proposals",
                () -> direct.applied.get() == 1_000 && latestSnapshot(leader) >= direct.lastIndex.get() - 200,
                cluster::describe);
        assertEquals(
                0,
                forwarded.settled(),
                () -> "the follower applied none of its forwarded proposals yet: " + forwarded.applied
                        + " applied, failures " + forwarded.failures);

        heard.clear();
        network.deliverAll();
        Await.until("every forwarded proposal settles", () -> forwarded.settled() == FORWARDED, cluster::describe);
        assertEquals(List.of(), List.copyOf(forwarded.failures), "none failed: the leader committed every one");
        assertEquals(FORWARDED, forwarded.applied.get());
        cluster.awaitApplied(direct.lastIndex.get());
        Await.until(
                "the listener hears the follower follow again after the install",
                () -> heard.contains(GroupRole.UNAVAILABLE) && heard.get(heard.size() - 1) == GroupRole.FOLLOWER,
                () -> heard + " " + cluster.describe());
        for (LocalCluster.Node node : cluster.nodes) {
            assertEquals(leader.machine().checksum(), node.machine().checksum(), node.id() + " has the state");
        }
    }

    private static long latestSnapshot(LocalCluster.Node node) {
        try {
            return node.storage()
                    .snapshots
                    .latest("g")
                    .map(s -> s.metadata().lastIndex())
                    .orElse(0L);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
