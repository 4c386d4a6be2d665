package dev.spool.raft.group;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spool.api.group.Durability;
import dev.spool.api.group.GroupBackup;
import dev.spool.api.spi.journal.Journal;
import dev.spool.raft.pipeline.AgentRunner;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opt-in figures for backups:
 * {@code ./mvnw -B -o -q -pl bundles/raft -am verify -Dtest=BackupMeasurement -Dspool.measure=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "spool.measure", matches = "true")
class BackupMeasurement {

    private static final int ENTRIES = 100_000;
    private static final int PAYLOAD_BYTES = 1024;

    @TempDir
    Path directory;

    @Test
    @DisplayName("a backup of a snapshot and 100,000 entries of 1 KiB after it, and its restore into a fresh member")
    void entriesAfterASnapshot() throws Exception {
        final Path file = directory.resolve("tail.backup");
        final long[] state;
        try (var storage = new LocalStorage(directory.resolve("source"), LocalStorage.LARGE_SEGMENTS);
                var runner = AgentRunner.start("measure", 3, 1_000_000, (agent, error) -> error.printStackTrace())) {
            final var machine = new ChecksumMachine();
            final var group = new GroupMember<>(
                    GroupSettings.singleMember("g", "m1", Durability.NONE).withSnapshots(10 * ENTRIES, 0),
                    machine,
                    new BytesCodec(),
                    runner,
                    System::nanoTime);
            group.start(storage.journals, storage.snapshots, null);
            Await.until("leads", () -> group.role() == dev.spool.api.group.GroupRole.LEADER, group::toString);
            final var outcomes = new Outcomes();
            group.propose(new byte[PAYLOAD_BYTES], 10, TimeUnit.SECONDS, outcomes);
            Await.until("first entry applies", () -> outcomes.applied.get() == 1, group::toString);
            group.snapshot().toCompletableFuture().get(10, TimeUnit.SECONDS);
            for (int i = 0; i < ENTRIES; i++) {
                final byte[] payload = new byte[PAYLOAD_BYTES];
                payload[0] = (byte) i;
                group.propose(payload, 10, TimeUnit.SECONDS, outcomes);
            }
            Await.until("all apply", () -> outcomes.applied.get() == ENTRIES + 1, group::toString);
            state = new long[] {machine.count(), machine.checksum()};
            group.stop();
            try (Journal journal = storage.journals.open("g")) {
                final long start = System.nanoTime();
                final GroupBackup backup =
                        new BackupWriter("g", "m1", storage.snapshots, journal, journal::lastIndex).write(file);
                final double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(
                        "backup of %d entries of %d B after snapshot %d: %.3f s, %d bytes (%.0f MB/s)%n",
                        backup.entries(),
                        PAYLOAD_BYTES,
                        backup.snapshotIndex(),
                        seconds,
                        backup.bytes(),
                        backup.bytes() / seconds / 1e6);
            }
        }
        try (var storage = new LocalStorage(directory.resolve("restored"), LocalStorage.LARGE_SEGMENTS);
                var runner = AgentRunner.start("restore", 3, 1_000_000, (agent, error) -> error.printStackTrace())) {
            final var machine = new ChecksumMachine();
            final var group = new GroupMember<>(
                    GroupSettings.singleMember("g", "m1", Durability.NONE),
                    machine,
                    new BytesCodec(),
                    runner,
                    System::nanoTime);
            group.restoreFrom(file);
            final long start = System.nanoTime();
            group.start(storage.journals, storage.snapshots, null);
            final double restoreSeconds = (System.nanoTime() - start) / 1e9;
            Await.until("the restored entries apply", () -> machine.count() == state[0], group::toString);
            final double applySeconds = (System.nanoTime() - start) / 1e9;
            assertEquals(state[1], machine.checksum());
            System.out.printf(
                    "restore (check, then write) %.3f s; applied as a new leader after %.3f s%n",
                    restoreSeconds, applySeconds);
            group.stop();
        }
    }
}
