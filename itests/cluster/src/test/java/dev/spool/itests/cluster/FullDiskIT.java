package dev.spool.itests.cluster;

import static dev.spool.itests.cluster.ClusterTestSupport.STARTUP;
import static dev.spool.itests.cluster.ClusterTestSupport.THREE;
import static dev.spool.itests.cluster.ClusterTestSupport.assertHolds;
import static dev.spool.itests.cluster.ClusterTestSupport.awaitSameHistory;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.itests.cluster.harness.ClusterHarness;
import dev.spool.itests.cluster.harness.ControlClient;
import dev.spool.itests.cluster.harness.MemberProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A member whose data directory is a small filesystem (a tmpfs the test mounts) that fills up while the leader
 * commits past it: the other two keep serving and lose nothing acknowledged; once the filesystem has room again the
 * follower catches up to the same history by itself (it retries its appends), and again after a restart. The same
 * with the member leading when its filesystem fills: the group stays available through the other two. Skipped,
 * saying why, where mounting is not permitted.
 */
@ExtendWith(DiscardPassedData.class)
class FullDiskIT {

    private static final String SMALL = "size=24m";
    private static final String LARGE = "size=512m";
    /** 4 MiB segments, 1 KiB entries: about six segments fill the small filesystem, 40 MB are written. */
    private static final int ENTRIES = 40_000;

    private static final int ENTRY_BYTES = 1_024;

    /** A test body run with m3's data directory on the small tmpfs. */
    @FunctionalInterface
    private interface OnSmallFilesystem {
        void run(ClusterHarness cluster, MemberProcess small) throws Exception;
    }

    @Test
    void aFollowerOnAFullFilesystemCostsNothingAcknowledgedAndCatchesUpOnceItHasRoom() throws Exception {
        onSmallFilesystem("full-disk", FullDiskIT::followerFills);
    }

    @Test
    void aLeaderOnAFullFilesystemLeavesTheGroupAvailableThroughTheOtherTwo() throws Exception {
        onSmallFilesystem("full-disk-leader", FullDiskIT::leaderFills);
    }

    private static void onSmallFilesystem(String name, OnSmallFilesystem body) throws Exception {
        final Path work = ClusterTestSupport.workDirectory(name);
        try (ClusterHarness cluster = new ClusterHarness(
                work,
                ClusterTestSupport.memberClasspath(),
                THREE,
                List.of("--segment-size", Integer.toString(4 << 20), "--snapshot-interval", "10000000"))) {
            final MemberProcess small = cluster.member("m3");
            Files.createDirectories(small.dataDirectory());
            final String refused = mount(small.dataDirectory(), SMALL, false);
            Assumptions.assumeTrue(
                    refused == null,
                    () -> "the full-filesystem test needs to mount a tmpfs, which" + " is not permitted here: "
                            + refused);
            try {
                body.run(cluster, small);
            } finally {
                cluster.close();
                command("umount", "-l", small.dataDirectory().toString());
            }
        }
    }

    /**
     * The member on the small filesystem leads when it fills: it must step down or refuse, so that whoever leads
     * next commits through the other two; proposals go to whichever member leads, fresh sequence numbers each
     * time, until all are acknowledged.
     */
    private static void leaderFills(ClusterHarness cluster, MemberProcess small) throws Exception {
        cluster.startAll(STARTUP);
        MemberProcess leader = cluster.awaitLeader(Duration.ofSeconds(30));
        while (leader != small) {
            // Depose whoever else leads until the member on the small filesystem does.
            leader.pause();
            Thread.sleep(1_000);
            leader.resume();
            leader = cluster.awaitLeader(Duration.ofSeconds(30));
        }
        final AcknowledgedSequences acknowledged = new AcknowledgedSequences();
        final AtomicLong heard = new AtomicLong();
        final List<String> leaders = new ArrayList<>();
        final long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        long next = 0;
        while (heard.get() < ENTRIES) {
            assertTrue(
                    System.nanoTime() < deadline,
                    "the group acknowledged only " + heard.get() + " of " + ENTRIES
                            + " entries in 180 s with its leader's filesystem full (leaders: " + leaders + ")");
            leader = cluster.awaitLeader(Duration.ofSeconds(30));
            leaders.add(leader.id());
            final long count = ENTRIES - heard.get();
            leader.control().propose(next, count, ENTRY_BYTES, 64, (sequence, index) -> {
                acknowledged.add(sequence, index);
                heard.incrementAndGet();
            });
            next += count; // never proposed again, whatever the outcome
        }
        final long usable = Files.getFileStore(small.dataDirectory()).getUsableSpace();
        assertTrue(usable < 4 << 20, "the small filesystem did not fill: " + usable + " bytes left");
        final MemberProcess serving = cluster.awaitLeader(Duration.ofSeconds(30));
        final String fullStatus = small.alive() ? small.control().status().toString() : "exited";
        final Map<String, String> reference = serving.control().read();
        for (MemberProcess member : cluster.members()) {
            if (member != small) {
                assertHolds(member, reference, acknowledged, Duration.ofSeconds(60));
            }
        }
        final String grown = mount(small.dataDirectory(), "remount," + LARGE, true);
        assertTrue(grown == null, "the tmpfs could not grow: " + grown);
        awaitSameHistory(cluster, Duration.ofSeconds(120));
        final Map<String, String> after =
                cluster.awaitLeader(Duration.ofSeconds(30)).control().read();
        for (MemberProcess member : cluster.members()) {
            assertHolds(member, after, acknowledged, Duration.ofSeconds(60));
        }
        System.out.printf(
                "full disk under the leader: %d entries of %d B acknowledged with %s's %s tmpfs full,"
                        + " proposed through %s (status when full: %s); it caught up once the filesystem grew;"
                        + " 0 acknowledged-but-lost%n",
                ENTRIES, ENTRY_BYTES, small.id(), SMALL, leaders, fullStatus);
    }

    private static void followerFills(ClusterHarness cluster, MemberProcess small) throws Exception {
        cluster.startAll(STARTUP);
        MemberProcess leader = cluster.awaitLeader(Duration.ofSeconds(30));
        while (leader == small) {
            // The member on the small filesystem must follow: pausing it past the election timeout deposes it.
            small.pause();
            Thread.sleep(1_000);
            small.resume();
            leader = cluster.awaitLeader(Duration.ofSeconds(30));
        }
        final AcknowledgedSequences acknowledged = new AcknowledgedSequences();
        final ControlClient.ProposeEnd end = leader.control().propose(0, ENTRIES, ENTRY_BYTES, 64, acknowledged::add);
        assertTrue(end.allAcknowledged(), "the leader did not commit past the full follower: " + end);
        final long usable = Files.getFileStore(small.dataDirectory()).getUsableSpace();
        assertTrue(usable < 4 << 20, "the small filesystem did not fill: " + usable + " bytes left");
        final String fullStatus = small.alive() ? small.control().status().toString() : "exited";

        // The other two hold everything; the full one cannot.
        final Map<String, String> reference = leader.control().read();
        for (MemberProcess member : cluster.members()) {
            if (member != small) {
                assertHolds(member, reference, acknowledged, Duration.ofSeconds(60));
            }
        }

        final String grown = mount(small.dataDirectory(), "remount," + LARGE, true);
        assertTrue(grown == null, "the tmpfs could not grow: " + grown);
        // The full member retries its appends: with room again it catches up by itself, and again after a restart.
        awaitSameHistory(cluster, Duration.ofSeconds(120));
        for (MemberProcess member : cluster.members()) {
            assertHolds(member, reference, acknowledged, Duration.ofSeconds(60));
        }
        small.kill();
        small.start(STARTUP);
        awaitSameHistory(cluster, Duration.ofSeconds(120));
        final Map<String, String> after =
                cluster.awaitLeader(Duration.ofSeconds(30)).control().read();
        for (MemberProcess member : cluster.members()) {
            assertHolds(member, after, acknowledged, Duration.ofSeconds(60));
        }
        System.out.printf(
                "full disk: %d entries of %d B committed past %s on a %s tmpfs (status when full: %s);"
                        + " it caught up once the filesystem grew, and again after a restart; 0 acknowledged-but-lost%n",
                ENTRIES, ENTRY_BYTES, small.id(), SMALL, fullStatus);
    }

    /** Mounts a tmpfs (or changes its options); returns null, or why it failed. */
    private static String mount(Path directory, String options, boolean remount) throws InterruptedException {
        return command(
                remount
                        ? List.of("mount", "-o", options, directory.toString())
                        : List.of("mount", "-t", "tmpfs", "-o", options, "tmpfs", directory.toString()));
    }

    private static String command(String... command) throws InterruptedException {
        return command(List.of(command));
    }

    private static String command(List<String> command) throws InterruptedException {
        try {
            final Process process = new ProcessBuilder(new ArrayList<>(command))
                    .redirectErrorStream(true)
                    .start();
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.waitFor() == 0 ? null : String.join(" ", command) + ": " + output.trim();
        } catch (IOException e) {
            return String.join(" ", command) + ": " + e.getMessage();
        }
    }
}
