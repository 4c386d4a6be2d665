package dev.spool.raft.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.group.Durability;
import dev.spool.api.group.GroupRole;
import dev.spool.api.spi.raft.InstallSnapshot;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower behind the leader's compacted journal receives a snapshot whose transfer goes wrong once on the way: the
 * follower refuses it, logs why, stays available, and installs the snapshot the leader sends again from offset 0.
 * Snapshots take three chunks of 1 MiB; the network spoils the transfer the first time only.
 */
@Timeout(120)
class SnapshotTransferFaultTest {

    /** With the state, a snapshot of a little over 2.5 MiB: chunks at 0, 1 MiB and 2 MiB. */
    private static final int PADDING = 5 << 19;

    private static final int CHUNK = 1 << 20;

    @TempDir
    Path directory;

    @Test
    @DisplayName("a chunk with one flipped byte: the whole does not verify, the transfer is refused and restarted")
    void flippedByte() throws Exception {
        installsDespite("flipped", once(chunk -> chunk.offset() == CHUNK, (chunk, bytes) -> {
            final ByteBuffer copy = copy(bytes);
            copy.put(copy.position() + 1000, (byte) ~copy.get(copy.position() + 1000));
            return copy;
        }));
    }

    @Test
    @DisplayName("a chunk that arrives shorter than it announces is refused, and the transfer restarted")
    void shortChunk() throws Exception {
        installsDespite("short", once(chunk -> chunk.offset() == CHUNK, (chunk, bytes) -> {
            final ByteBuffer copy = copy(bytes);
            return copy.limit(copy.limit() - 100);
        }));
    }

    @Test
    @DisplayName("a first chunk whose header names another snapshot is refused, and the transfer restarted")
    void headerNamesAnotherSnapshot() throws Exception {
        installsDespite("other", once(chunk -> chunk.offset() == 0, (chunk, bytes) -> {
            final ByteBuffer copy = copy(bytes);
            return copy.putLong(copy.position() + 16, chunk.lastIndex() + 1);
        }));
    }

    @Test
    @DisplayName("a first chunk whose header announces more bytes than the leader sends: the short transfer is"
            + " refused at its last chunk, and restarted")
    void headerAnnouncesMoreBytes() throws Exception {
        installsDespite("longer", once(chunk -> chunk.offset() == 0, (chunk, bytes) -> {
            final ByteBuffer copy = copy(bytes);
            return copy.putLong(copy.position() + 40, copy.getLong(copy.position() + 40) + 1000);
        }));
    }

    @Test
    @DisplayName("an earlier chunk delivered again out of order, before the last, changes nothing")
    void chunkOutOfOrder() throws Exception {
        final var first = new AtomicBoolean();
        final ByteBuffer[] saved = new ByteBuffer[1];
        final InstallSnapshot[] savedMessage = new InstallSnapshot[1];
        installsDespite("replayed", (chunk, bytes, deliver) -> {
            if (chunk.offset() == CHUNK && saved[0] == null) {
                saved[0] = copy(bytes);
                savedMessage[0] = chunk;
            }
            if (chunk.done() && saved[0] != null && first.compareAndSet(false, true)) {
                deliver.test(savedMessage[0], saved[0].duplicate());
            }
            return deliver.test(chunk, bytes);
        });
        assertTrue(first.get(), "the replay happened");
    }

    /**
     * Lets a follower fall behind the compacted journals of the others, spoils its snapshot transfer with
     * {@code fault}, and checks that it installs the snapshot all the same, applies everything and stays available.
     */
    private void installsDespite(String name, InProcessNetwork.ChunkFault fault) throws Exception {
        final var network = new InProcessNetwork();
        try (LocalCluster cluster = new LocalCluster(
                directory.resolve(name),
                name,
                LocalStorage.SMALL_SEGMENTS,
                3,
                Durability.NONE,
                network,
                () -> new ChecksumMachine(PADDING),
                new BytesCodec(),
                1_000_000,
                500,
                50)) {
            cluster.startAll();
            final LocalCluster.Node leader = cluster.awaitLeader();
            final LocalCluster.Node lagging = cluster.nodes.stream()
                    .filter(node -> node != leader)
                    .findFirst()
                    .orElseThrow();
            network.isolate(lagging.id());
            final var outcomes = new Outcomes();
            propose(leader, 2_000, outcomes);
            Await.until(
                    "the others apply and the leader compacts",
                    () -> outcomes.applied.get() == 2_000
                            && leader.group().firstLogIndex() > lagging.group().appliedIndex() + 1,
                    cluster::describe);

            network.corruptSnapshotChunks(fault);
            network.heal();
            cluster.awaitApplied(outcomes.lastIndex.get());
            // briefly unavailable only while it restarts from the installed snapshot
            Await.until(
                    "the follower follows again",
                    () -> lagging.group().role() == GroupRole.FOLLOWER,
                    cluster::describe);

            try (var files = java.nio.file.Files.walk(directory.resolve(name).resolve(lagging.id()))) {
                assertEquals(
                        0,
                        files.filter(file -> file.toString().endsWith(".partial"))
                                .count(),
                        "no partial transfer is left behind");
            }

            final var after = new Outcomes();
            propose(leader, 100, after);
            Await.until("entries after the install apply", () -> after.applied.get() == 100, cluster::describe);
            cluster.awaitApplied(after.lastIndex.get());
            for (LocalCluster.Node node : cluster.nodes) {
                assertEquals(leader.machine().count(), node.machine().count(), node.id() + " applied as many");
                assertEquals(leader.machine().checksum(), node.machine().checksum(), node.id() + " has the state");
            }
        }
    }

    private static void propose(LocalCluster.Node leader, int count, Outcomes outcomes) {
        for (int i = 0; i < count; i++) {
            leader.group().propose(new byte[] {(byte) i, 7}, 10, TimeUnit.SECONDS, outcomes);
        }
    }

    /** A fault that replaces the bytes of the first chunk {@code which} selects, and of no other. */
    private static InProcessNetwork.ChunkFault once(
            java.util.function.Predicate<InstallSnapshot> which,
            java.util.function.BiFunction<InstallSnapshot, ByteBuffer, ByteBuffer> spoil) {
        final var done = new AtomicBoolean();
        return (chunk, bytes, deliver) -> which.test(chunk) && done.compareAndSet(false, true)
                ? deliver.test(chunk, spoil.apply(chunk, bytes))
                : deliver.test(chunk, bytes);
    }

    private static ByteBuffer copy(ByteBuffer bytes) {
        final ByteBuffer copy = ByteBuffer.allocate(bytes.remaining());
        copy.put(bytes.duplicate()).flip();
        return copy;
    }
}
