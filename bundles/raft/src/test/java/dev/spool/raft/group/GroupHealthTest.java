package dev.spool.raft.group;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spool.api.group.Durability;
import dev.spool.api.group.GroupRole;
import dev.spool.api.health.Health;
import dev.spool.raft.pipeline.AgentRunner;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Whether a group serves, and the cause named when it does not. */
@Timeout(60)
class GroupHealthTest {

    private static final long SEGMENT = 64 << 10;

    @TempDir
    Path directory;

    @Test
    @DisplayName("each condition names its cause; the first problem wins")
    void causes() {
        assertEquals(Health.HEALTHY, judge(true, null, GroupRole.FOLLOWER, "m2", false, SEGMENT));
        assertEquals(
                Health.unhealthy("group orders: its storage failed: disk on fire"),
                judge(true, new IOException("disk on fire"), GroupRole.UNAVAILABLE, null, false, SEGMENT));
        assertEquals(
                Health.unhealthy("group orders: not running: its journal or snapshot store is not bound"),
                judge(false, null, GroupRole.UNAVAILABLE, null, false, SEGMENT));
        assertEquals(
                Health.unhealthy("group orders: no leader known in term 7 (role CANDIDATE)"),
                judge(true, null, GroupRole.CANDIDATE, null, false, SEGMENT));
        assertEquals(
                Health.unhealthy("group orders: its log is suspect (a NONE journal outlived a machine restart);"
                        + " it neither votes nor counts toward a commit until it has caught up with a leader"),
                judge(true, null, GroupRole.FOLLOWER, null, true, SEGMENT));
        assertEquals(
                Health.unhealthy("group orders: journal space low: 65535 bytes above the free-space floor, less"
                        + " than one segment of 65536 bytes"),
                judge(true, null, GroupRole.LEADER, "m1", false, SEGMENT - 1));
        assertEquals(
                Health.unhealthy("group orders: journal space low: 0 bytes above the free-space floor, less"
                        + " than one segment of 65536 bytes"),
                judge(true, null, GroupRole.LEADER, "m1", false, -5));
    }

    private static Health judge(
            boolean running, Throwable failure, GroupRole role, String leader, boolean suspect, long space) {
        return GroupHealth.judge("orders", running, failure, role, leader, 7, suspect, space, SEGMENT);
    }

    @Test
    @DisplayName("a group is unhealthy before it starts and after it stops, healthy while it leads")
    void lifecycle() throws Exception {
        final AgentRunner runner = AgentRunner.start("raft", 3, 1_000_000, (agent, error) -> error.printStackTrace());
        try (LocalStorage storage = new LocalStorage(directory, LocalStorage.SMALL_SEGMENTS)) {
            final var group = new GroupMember<>(
                    GroupSettings.singleMember("g", "m1", Durability.NONE).withTickNanos(1_000_000),
                    new ChecksumMachine(),
                    new BytesCodec(),
                    runner,
                    System::nanoTime);
            final Health stopped =
                    Health.unhealthy("group g: not running: its journal or snapshot store is not" + " bound");
            assertEquals(stopped, group.health());
            group.start(storage.journals, storage.snapshots, null);
            Await.until("the member leads", () -> group.role() == GroupRole.LEADER, () -> "role " + group.role());
            assertEquals(Health.HEALTHY, group.health());
            group.stop();
            assertEquals(stopped, group.health());
        } finally {
            runner.close();
        }
    }

    @Test
    @DisplayName("a single member whose log is suspect cannot lead: it names the suspect log")
    void suspectLog() throws Exception {
        final AgentRunner runner = AgentRunner.start("raft", 3, 1_000_000, (agent, error) -> error.printStackTrace());
        try (LocalStorage storage = new LocalStorage(directory, LocalStorage.SMALL_SEGMENTS)) {
            final var group = new GroupMember<>(
                    GroupSettings.singleMember("g", "m1", Durability.NONE).withTickNanos(1_000_000),
                    new ChecksumMachine(),
                    new BytesCodec(),
                    runner,
                    System::nanoTime);
            group.start(new SuspectJournals(storage.journals), storage.snapshots, null);
            Await.until(
                    "the suspect log is published",
                    () -> group.health().cause().contains("suspect"),
                    () -> group.health().toString());
            group.stop();
        } finally {
            runner.close();
        }
    }
}
