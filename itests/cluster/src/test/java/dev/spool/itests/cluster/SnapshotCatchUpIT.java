package dev.spool.itests.cluster;

import static dev.spool.itests.cluster.ClusterTestSupport.SNAPSHOT_NAME;
import static dev.spool.itests.cluster.ClusterTestSupport.STARTUP;
import static dev.spool.itests.cluster.ClusterTestSupport.THREE;
import static dev.spool.itests.cluster.ClusterTestSupport.appliedState;
import static dev.spool.itests.cluster.ClusterTestSupport.await;
import static dev.spool.itests.cluster.ClusterTestSupport.follower;
import static dev.spool.itests.cluster.ClusterTestSupport.snapshots;
import static dev.spool.itests.cluster.ClusterTestSupport.startInSmallJvms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.itests.cluster.harness.ClusterHarness;
import dev.spool.itests.cluster.harness.ControlClient;
import dev.spool.itests.cluster.harness.MemberProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A follower whose next entry the leader compacted away catches up by InstallSnapshot, streamed in chunks from the
 * leader's snapshot store over the network, and then from the journal's tail; the leader runs in a small heap and a
 * small direct-memory budget.
 */
@ExtendWith(DiscardPassedData.class)
class SnapshotCatchUpIT {

    private static final int ENTRY_BYTES = 16 << 10;
    /** Entries all three members apply before the follower stops: its journal holds them when it restarts. */
    private static final long SHARED_ENTRIES = 128;

    private static final long BEHIND_ENTRIES = ClusterTestSupport.longTier() ? 16_384 : 1_536;
    private static final long SNAPSHOT_INTERVAL = 256;
    private static final long KEPT = 64;
    /** Checked filler in each snapshot: many InstallSnapshot chunks (1 MiB each) per transfer. */
    private static final long BALLAST_BYTES = (ClusterTestSupport.longTier() ? 64L : 4L) << 20;

    private static final long CHUNK_BYTES = 1 << 20;
    /** Small segments, so that compaction frees the ones that held the stopped follower's next entry. */
    private static final int SEGMENT_BYTES = 4 << 20;

    private static final long AFTER_ENTRIES = 256;
    /** A restarted leader's compacted journal: entries before and behind the stopped follower, and their size. */
    private static final long RESTART_SHARED_ENTRIES = 100;

    private static final long RESTART_BEHIND_ENTRIES = 3_000;
    private static final int RESTART_ENTRY_BYTES = 1 << 10;
    private static final long RESTART_BATCH = 16;
    /** The smallest segments, so that 3,000 entries of 1 KiB span about 50 of them and compaction frees most. */
    private static final int RESTART_SEGMENT_BYTES = 64 << 10;
    /** Far more than a snapshot of a few kilobytes and a tail of 64 entries take over loopback. */
    private static final Duration IDLE_CATCH_UP = Duration.ofSeconds(30);

    private static final Pattern SEGMENT_NAME = Pattern.compile("seg-\\d{10}-(\\d{20})\\.log");

    @Test
    @Timeout(900)
    @DisplayName("a follower behind the leader's compacted journal installs its snapshot in chunks, then the tail")
    void followerBehindCompactionCatchesUpBySnapshot() throws Exception {
        try (ClusterHarness cluster = new ClusterHarness(
                ClusterTestSupport.workDirectory("snapshot-catch-up"),
                ClusterTestSupport.memberClasspath(),
                THREE,
                List.of(
                        "--snapshot-interval",
                        Long.toString(SNAPSHOT_INTERVAL),
                        "--kept",
                        Long.toString(KEPT),
                        "--snapshot-ballast",
                        Long.toString(BALLAST_BYTES),
                        "--segment-size",
                        Integer.toString(SEGMENT_BYTES)))) {
            final MemberProcess leader = startInSmallJvms(cluster);
            final MemberProcess behind = follower(cluster, leader);

            proposeAll(leader, 0, SHARED_ENTRIES);
            final long shared = Long.parseLong(leader.control().read().get("lastIndex"));
            await(
                    Duration.ofSeconds(30),
                    behind.id() + " applying the shared entries",
                    () -> Long.parseLong(behind.control().status().get("lastIndex")) >= shared);
            behind.stop();
            final long behindNext = shared + 1;

            proposeAll(leader, SHARED_ENTRIES, BEHIND_ENTRIES);
            final Map<String, String> reference = leader.control().read();
            final Path offered = latestSnapshot(leader.dataDirectory())
                    .orElseThrow(
                            () -> new AssertionError("the leader took no snapshot in " + BEHIND_ENTRIES + " entries"));
            final long offeredIndex = snapshotIndex(offered);
            assertTrue(
                    offeredIndex - KEPT + 1 > behindNext,
                    "the leader's log still holds " + behind.id() + "'s next entry " + behindNext
                            + ": its snapshot is at " + offeredIndex);
            final long journalFirst = firstJournalIndex(leader.dataDirectory());
            assertTrue(
                    journalFirst > behindNext,
                    "the leader's journal still holds " + behind.id() + "'s next entry " + behindNext
                            + ": its first segment starts at " + journalFirst);
            assertTrue(
                    Files.size(offered) > 3 * CHUNK_BYTES,
                    "the snapshot " + offered + " has only " + Files.size(offered) + " bytes, not several chunks");

            behind.start(STARTUP);
            await(
                    Duration.ofSeconds(300),
                    behind.id() + " catching up to " + reference,
                    () -> Long.parseLong(behind.control().status().get("lastIndex"))
                            >= Long.parseLong(reference.get("lastIndex")));

            final Map<String, String> caughtUp = behind.control().status();
            assertEquals(
                    reference.get("count"),
                    caughtUp.get("count"),
                    behind.id() + " applied another count: " + appliedState(behind.control()));
            assertEquals(
                    reference.get("checksum"),
                    caughtUp.get("checksum"),
                    behind.id() + " applied another history: " + appliedState(behind.control()));
            assertEquals(
                    ranges(leader.control()),
                    ranges(behind.control()),
                    behind.id() + " applied other sequence numbers");
            final Path installed =
                    behind.dataDirectory().resolve(leader.dataDirectory().relativize(offered));
            assertTrue(
                    Files.exists(installed),
                    behind.id() + " does not hold the leader's snapshot " + offered.getFileName() + "; it holds "
                            + snapshots(behind.dataDirectory()));
            assertEquals(
                    -1,
                    Files.mismatch(offered, installed),
                    "the installed snapshot " + installed + " differs from the leader's " + offered);
            assertEquals(
                    offeredIndex + 1,
                    firstJournalIndex(behind.dataDirectory()),
                    behind.id() + "'s journal"
                            + " does not start right after the installed snapshot: its old entries were not dropped");

            proposeAll(leader, SHARED_ENTRIES + BEHIND_ENTRIES, AFTER_ENTRIES);
            final Map<String, String> last = leader.control().read();
            for (MemberProcess member : cluster.members()) {
                await(
                        Duration.ofSeconds(30),
                        member.id() + " applying the entries proposed after the catch-up",
                        () -> Long.parseLong(member.control().status().get("lastIndex"))
                                >= Long.parseLong(last.get("lastIndex")));
                assertEquals(
                        last.get("checksum"),
                        member.control().status().get("checksum"),
                        member.id() + " applied another history: " + appliedState(member.control()));
            }
            assertTrue(leader.alive(), "the leader died");
            assertFalse(leader.errorOutput().contains("OutOfMemoryError"), "the leader ran out of memory");
            System.out.printf(
                    "snapshot catch-up: %s installed %s (%d bytes), journal from %d, %s entries%n",
                    behind.id(), offered.getFileName(), Files.size(offered), journalFirst, reference.get("count"));
        }
    }

    @Test
    @Timeout(300)
    @DisplayName("a follower behind the compacted journal of a restarted leader catches up in an idle cluster")
    void followerBehindARestartedLeadersCompactionCatchesUp() throws Exception {
        try (ClusterHarness cluster = new ClusterHarness(
                ClusterTestSupport.workDirectory("restarted-leader-snapshot"),
                ClusterTestSupport.memberClasspath(),
                THREE,
                List.of(
                        "--snapshot-interval",
                        Long.toString(SNAPSHOT_INTERVAL),
                        "--kept",
                        Long.toString(KEPT),
                        "--segment-size",
                        Integer.toString(RESTART_SEGMENT_BYTES),
                        "--max-entry",
                        Integer.toString(16 << 10)))) {
            cluster.startAll(STARTUP);
            final MemberProcess first = cluster.awaitLeader(Duration.ofSeconds(30));
            final MemberProcess behind = follower(cluster, first);
            proposeAll(first, 0, RESTART_SHARED_ENTRIES, RESTART_ENTRY_BYTES);
            final long shared = Long.parseLong(first.control().read().get("lastIndex"));
            await(
                    Duration.ofSeconds(30),
                    behind.id() + " applying the shared entries",
                    () -> Long.parseLong(behind.control().status().get("lastIndex")) >= shared);
            behind.stop();
            proposeAll(first, RESTART_SHARED_ENTRIES, RESTART_BEHIND_ENTRIES, RESTART_ENTRY_BYTES);
            // A few more, until both others took a snapshot past what is committed now: restarted, each then replays
            // fewer entries than a snapshot interval and takes no new snapshot before the follower asks for one.
            final List<MemberProcess> others = cluster.members().stream()
                    .filter(member -> member != behind)
                    .toList();
            final long committed = Long.parseLong(first.control().read().get("lastIndex"));
            long next = RESTART_SHARED_ENTRIES + RESTART_BEHIND_ENTRIES;
            while (others.stream().anyMatch(member -> latestIndex(member) < committed)) {
                proposeAll(first, next, RESTART_BATCH, RESTART_ENTRY_BYTES);
                next += RESTART_BATCH;
            }

            // Both others restart: each recovers from a journal that starts past the follower's next entry.
            for (MemberProcess member : others) {
                member.stop();
            }
            for (MemberProcess member : others) {
                member.start(STARTUP);
                final long journalFirst = firstJournalIndex(member.dataDirectory());
                assertTrue(
                        journalFirst > shared + 1,
                        member.id() + "'s journal still holds " + behind.id() + "'s next entry " + (shared + 1)
                                + ": its first segment starts at " + journalFirst);
            }
            final MemberProcess leader = cluster.awaitLeader(Duration.ofSeconds(30));
            final Map<String, String> reference = leader.control().read();

            behind.start(STARTUP);
            // Idle: nothing is proposed while the follower catches up, only heartbeats go out.
            await(
                    IDLE_CATCH_UP,
                    behind.id() + " catching up from " + leader.id() + " to " + reference,
                    () -> Long.parseLong(behind.control().status().get("lastIndex"))
                            >= Long.parseLong(reference.get("lastIndex")));
            final Map<String, String> caughtUp = behind.control().status();
            assertEquals(reference.get("count"), caughtUp.get("count"), behind.id() + " applied another count");
            assertEquals(
                    reference.get("checksum"),
                    caughtUp.get("checksum"),
                    behind.id() + " applied another history: " + appliedState(behind.control()));
            assertEquals(
                    ranges(leader.control()),
                    ranges(behind.control()),
                    behind.id() + " applied other sequence numbers");
        }
    }

    /** @return the index of the latest snapshot a member stored, 0 if none */
    private static long latestIndex(MemberProcess member) {
        try {
            return latestSnapshot(member.dataDirectory())
                    .map(SnapshotCatchUpIT::snapshotIndex)
                    .orElse(0L);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void proposeAll(MemberProcess leader, long first, long count) throws IOException {
        proposeAll(leader, first, count, ENTRY_BYTES);
    }

    private static void proposeAll(MemberProcess leader, long first, long count, int size) throws IOException {
        final ControlClient.ProposeEnd written =
                leader.control().propose(first, count, size, 16, (sequence, index) -> {});
        assertTrue(
                written.allAcknowledged(),
                "the leader did not commit " + count + " entries from " + first + ": " + written);
    }

    private static String ranges(ControlClient control) throws IOException {
        return control.appliedRanges().stream()
                .map(range -> range[0] + "-" + range[1])
                .toList()
                .toString();
    }

    /** @return the published snapshot with the highest index under a member's data directory */
    private static Optional<Path> latestSnapshot(Path dataDirectory) throws IOException {
        return snapshots(dataDirectory).stream().max(Comparator.comparingLong(SnapshotCatchUpIT::snapshotIndex));
    }

    private static long snapshotIndex(Path snapshot) {
        final Matcher name = SNAPSHOT_NAME.matcher(snapshot.getFileName().toString());
        if (!name.matches()) {
            throw new IllegalArgumentException("not a snapshot's name: " + snapshot);
        }
        return Long.parseLong(name.group(1));
    }

    /** @return the first index of the oldest live segment of a member's journal (compacted ones wait as .free) */
    private static long firstJournalIndex(Path dataDirectory) throws IOException {
        try (Stream<Path> files = Files.walk(dataDirectory.resolve("journal"))) {
            return files.map(path -> SEGMENT_NAME.matcher(path.getFileName().toString()))
                    .filter(Matcher::matches)
                    .mapToLong(name -> Long.parseLong(name.group(1)))
                    .min()
                    .orElseThrow(() -> new AssertionError("no journal segment under " + dataDirectory));
        }
    }
}
