package dev.spool.itests.cluster.karaf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three Spool Karaf distributions, made and started by {@code spool-cluster.sh}, form one cluster: they agree on one
 * leader of the group {@code default}, and a write through the example key-value store's console commands is applied
 * on every member. A write and a linearizable read on a follower go through the leader (forwarding is on by
 * default). Then a fourth member joins from the console, no file of the three edited: it catches up, is made voting,
 * and serves.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KarafClusterIT {

    private static final String GROUP = "default";
    private static final Duration ELECTION = Duration.ofSeconds(60);
    private static final Duration REPLICATION = Duration.ofSeconds(30);
    private static final String NOT_LEADING = "this member does not lead group " + GROUP;

    private static KarafCluster cluster;
    private static Path distribution;

    @BeforeAll
    static void startCluster() {
        distribution = Path.of(System.getProperty("spool.distribution"));
        assertTrue(Files.isRegularFile(distribution), "the distribution this build produced: " + distribution);
        cluster = new KarafCluster(
                Path.of(System.getProperty("spool.cluster.script")),
                Path.of(System.getProperty("java.io.tmpdir"), "karaf-cluster"),
                3);
        cluster.close(); // what an earlier run that was itself killed left behind
        // From here on, a failure still runs stopCluster.
        cluster.create(distribution, cluster.freeBasePort(27400));
        cluster.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
            assertFalse(cluster.anyRunning(), "no Karaf JVM of the cluster outlives the test");
        }
    }

    @Test
    @Order(1)
    @DisplayName("the three members agree on one leader, and a write through the key-value store applies on all")
    void electsOneLeaderAndReplicatesAWrite() {
        final var put = onLeader("kv:put colour blue");
        assertEquals(0, put.exitStatus(), put.output());
        assertTrue(put.lines().contains("colour = blue (new)"), put.output());

        final int follower = awaitOneAgreedLeader() % cluster.members() + 1;
        // A put is idempotent: one whose outcome is unknown (the leader changed meanwhile) is simply made again.
        final var forwarded = await(
                ELECTION,
                () -> "a write on member-" + follower + " forwarded to the leader",
                () -> Optional.of(cluster.console(follower, "kv:put size large"))
                        .filter(reply -> reply.exitStatus() == 0));
        assertTrue(forwarded.lines().stream().anyMatch(line -> line.startsWith("size = large")), forwarded.output());
        final Map<String, String> written = new LinkedHashMap<>(Map.of("colour", "blue", "size", "large"));

        for (int member = 1; member <= cluster.members(); member++) {
            final int queried = member;
            written.forEach((key, value) -> await(
                    REPLICATION,
                    () -> "member-" + queried + " applies " + key + " = " + value,
                    () -> Optional.of(cluster.console(queried, "kv:local " + key))
                            .filter(reply -> reply.lines().contains(key + " = " + value))));
        }
        final var read = onLeader("kv:get colour");
        assertTrue(read.lines().contains("colour = blue"), "a linearizable read on the leader: " + read.output());
        final var followerRead = cluster.console(follower, "kv:get size");
        assertTrue(
                followerRead.lines().contains("size = large"),
                "a linearizable read on a follower, through the" + " leader's read index: " + followerRead.output());
    }

    @Test
    @Order(2)
    @DisplayName("a fourth member joins the running cluster from the leader's console: it catches up, votes and serves")
    void fourthMemberJoinsFromTheConsole() {
        final var before = onLeader("kv:put joined before");
        assertEquals(0, before.exitStatus(), before.output());
        final int joining = cluster.join(distribution);
        cluster.start(); // the three run already: only the new member starts
        final String address = "127.0.0.1:" + cluster.replicationPort(joining);
        // the joining member hears of no leader before it is added: the leader is the one the three agree on
        final var added =
                onLeader("spool:add-member --non-voting default member-" + joining + " " + address, joining - 1);
        assertEquals(0, added.exitStatus(), added.output());
        assertTrue(
                added.output().contains("added member-" + joining + " at " + address + ", non-voting"), added.output());
        await(
                REPLICATION,
                () -> "member-" + joining + " applies what the group holds",
                () -> Optional.of(cluster.console(joining, "kv:local joined"))
                        .filter(reply -> reply.lines().contains("joined = before")));

        final var voting = onLeader("spool:set-voting default member-" + joining + " voting");
        assertEquals(0, voting.exitStatus(), voting.output());
        awaitOneAgreedLeader(); // all four now, member-4 following the leader
        final var leaderGroup = onLeader("spool:group default");
        assertTrue(
                leaderGroup.lines().stream()
                        .anyMatch(line -> line.startsWith("member-" + joining + " ")
                                && line.contains(" voting ")
                                && line.contains(address)),
                leaderGroup.output());
        final var written = await(
                ELECTION,
                () -> "a write on member-" + joining + " forwarded to the leader",
                () -> Optional.of(cluster.console(joining, "kv:put joined after"))
                        .filter(reply -> reply.exitStatus() == 0));
        assertTrue(written.lines().stream().anyMatch(line -> line.startsWith("joined = after")), written.output());
        final var read = cluster.console(joining, "kv:get joined");
        assertTrue(
                read.lines().contains("joined = after"),
                "a linearizable read on member-" + joining + ": " + read.output());
    }

    /**
     * Runs a command on the leader, again on the new leader if leadership moved before the command arrived (a
     * refusal for that reason appended nothing, so a retry is safe).
     *
     * @return the reply of the member that led when the command arrived
     */
    private static KarafCluster.Reply onLeader(String command) {
        return onLeader(command, cluster.members());
    }

    /** Runs a command on the leader the first {@code members} members agree on, as {@link #onLeader(String)}. */
    private static KarafCluster.Reply onLeader(String command, int members) {
        final List<KarafCluster.Reply> refused = new ArrayList<>();
        return await(ELECTION, () -> command + " served by a leader; refused: " + refused, () -> {
            final var reply = cluster.console(awaitOneAgreedLeader(members), command);
            if (reply.output().contains(NOT_LEADING)) {
                refused.add(reply);
                return Optional.empty();
            }
            return Optional.of(reply);
        });
    }

    /**
     * Waits until every member reports the group with the same leader, and that leader, alone, reports itself as
     * leader.
     *
     * @return the leader's member number
     */
    private static int awaitOneAgreedLeader() {
        return awaitOneAgreedLeader(cluster.members());
    }

    /** Waits until members 1 to {@code members} agree on one leader, as {@link #awaitOneAgreedLeader()}. */
    private static int awaitOneAgreedLeader(int members) {
        final List<Object> seen = new ArrayList<>();
        return await(ELECTION, () -> "one leader all members agree on; last seen: " + seen, () -> {
            seen.clear();
            final List<GroupRow> rows = new ArrayList<>();
            for (int member = 1; member <= members; member++) {
                final var reply = cluster.console(member, "spool:groups");
                final Optional<GroupRow> row = GroupRow.find(reply.lines(), GROUP);
                seen.add(row.isPresent() ? row.get() : reply);
                if (row.isEmpty()) {
                    return Optional.empty();
                }
                rows.add(row.get());
            }
            final List<GroupRow> leaders = rows.stream().filter(GroupRow::leads).toList();
            if (leaders.size() != 1) {
                return Optional.empty();
            }
            final String leaderId = leaders.get(0).member();
            return rows.stream().allMatch(row -> row.leader().equals(Optional.of(leaderId)))
                    ? Optional.of(rows.indexOf(leaders.get(0)) + 1)
                    : Optional.empty();
        });
    }

    /** Polls {@code probe} until it yields a value, failing with {@code what} once {@code limit} has passed. */
    private static <T> T await(Duration limit, Supplier<String> what, Supplier<Optional<T>> probe) {
        final long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            final Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("within " + limit.toSeconds() + " s, expected " + what.get());
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what.get(), e);
            }
        }
    }
}
