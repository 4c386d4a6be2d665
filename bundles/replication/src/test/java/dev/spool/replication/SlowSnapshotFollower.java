package dev.spool.replication;

import dev.spool.api.group.Durability;
import dev.spool.api.group.ProposalCallback;
import dev.spool.api.group.RaftGroupException;
import dev.spool.api.group.StateMachine;
import dev.spool.api.spi.snapshot.Snapshot;
import dev.spool.api.spi.snapshot.SnapshotDescriptor;
import dev.spool.api.spi.snapshot.SnapshotMetadata;
import dev.spool.api.spi.snapshot.SnapshotReceiver;
import dev.spool.api.spi.snapshot.SnapshotStore;
import dev.spool.api.spi.snapshot.SnapshotWriter;
import dev.spool.raft.group.GroupMember;
import dev.spool.raft.group.GroupSettings;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The program {@link BoundedSnapshotMemoryTest} runs in a JVM with a small heap: three members over TCP, the third
 * started only after the others compacted their journals behind a snapshot far larger than the heap, and storing the
 * chunks it receives slowly. It exits 0 once the third member installed the snapshot and caught up, 1 if it did not
 * within its time, 2 if a Netty buffer leaked; running out of memory ends the JVM with another status
 * ({@code -XX:+ExitOnOutOfMemoryError}).
 */
public final class SlowSnapshotFollower {

    /** The state machine's snapshot size: far beyond a 64 MiB heap. */
    static final long BALLAST_BYTES = 192L << 20;
    /** How long the slow follower takes to store each chunk (1 MiB): the leader is much faster. */
    static final long STORE_MILLIS = 10;

    private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(150);

    private final NettyCluster<byte[]> cluster;

    private SlowSnapshotFollower(Path directory) {
        // One snapshot kept per member: each is far larger than the heap, and only the latest is ever sent.
        this.cluster = new NettyCluster<>(directory, "snapshot-memory", 1, member -> null);
    }

    public static void main(String[] args) throws Exception {
        final var run = new SlowSnapshotFollower(Path.of(args[0]));
        int status;
        try {
            status = run.run() ? 0 : 1;
        } finally {
            run.close();
        }
        final List<String> leaks = LeakDetection.reportsAfterCollection();
        if (!leaks.isEmpty()) {
            log("leaked " + leaks.size() + " Netty buffer(s):\n" + String.join("\n", leaks));
            status = 2;
        }
        long peak = 0;
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        log("peak heap pools' use " + (peak >> 20) + " MiB of "
                + (Runtime.getRuntime().maxMemory() >> 20) + " MiB; status " + status);
        System.exit(status);
    }

    private boolean run() throws Exception {
        start("m1", false);
        start("m2", false);
        if (!await(() -> cluster.leader() != null, "a leader")) {
            return false;
        }
        final GroupMember<byte[]> leader = cluster.leader();
        // 200 entries of 16 KiB span several journal segments of 1 MiB: compaction has whole segments to delete.
        for (int i = 0; i < 200; i++) {
            leader.propose(new byte[16 << 10], 10, TimeUnit.SECONDS, IGNORED);
        }
        if (!await(() -> leader.firstLogIndex() > 1, "the leader's journal compacted behind its snapshot")) {
            return false;
        }
        final long target = leader.commitIndex();
        log("snapshot taken, journal from " + leader.firstLogIndex() + "; starting the slow follower");
        final GroupMember<byte[]> follower = start("m3", true);
        return await(() -> follower.appliedIndex() >= target, "the slow follower installs the snapshot");
    }

    private GroupMember<byte[]> start(String id, boolean slow) throws IOException {
        // One snapshot after 150 entries, none kept behind it: a member started later needs the snapshot.
        final var settings = new GroupSettings(
                "g", id, cluster.membership(), Durability.NONE, TimeUnit.MILLISECONDS.toNanos(10), 20, 2, 1024, 150, 0);
        return cluster.start(
                settings, new BallastMachine(), new BytesCodec(), files -> slow ? new SlowStore(files) : files);
    }

    private boolean await(BooleanSupplier condition, String what) throws InterruptedException {
        final long deadline = System.nanoTime() + LIMIT_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                log("timed out waiting for " + what + ": " + cluster.groups());
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    private static void log(String message) {
        System.out.println(message);
    }

    private void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            e.printStackTrace();
        }
    }

    private static final ProposalCallback IGNORED = new ProposalCallback() {
        @Override
        public void applied(long index, Object result) {}

        @Override
        public void failed(RaftGroupException error) {}
    };

    /** Counts entries; its snapshot carries {@link #BALLAST_BYTES} of a pattern, streamed, checked on restore. */
    private static final class BallastMachine implements StateMachine<byte[]> {
        private volatile long count;

        @Override
        public Object apply(long index, byte[] payload) {
            count++;
            return null;
        }

        @Override
        public void writeSnapshot(OutputStream out) throws IOException {
            final var data = new DataOutputStream(out);
            data.writeLong(count);
            final byte[] block = new byte[64 << 10];
            for (long written = 0; written < BALLAST_BYTES; written += block.length) {
                fill(block, written);
                data.write(block);
            }
            data.flush();
        }

        @Override
        public void restore(InputStream in, int formatVersion) throws IOException {
            final var data = new DataInputStream(in);
            final long restored = data.readLong();
            final byte[] block = new byte[64 << 10];
            final byte[] expected = new byte[block.length];
            for (long read = 0; read < BALLAST_BYTES; read += block.length) {
                data.readFully(block);
                fill(expected, read);
                if (!java.util.Arrays.equals(block, expected)) {
                    throw new IOException("the snapshot's ballast differs at " + read);
                }
            }
            count = restored;
        }

        private static void fill(byte[] block, long offset) {
            ByteBuffer.wrap(block).putLong(0, offset);
            block[block.length - 1] = (byte) (offset >>> 16);
        }

        @Override
        public void reset() {
            count = 0;
        }
    }

    /** A snapshot store whose receivers take {@link #STORE_MILLIS} to store each chunk: a slow disk. */
    private static final class SlowStore implements SnapshotStore {
        private final SnapshotStore delegate;

        SlowStore(SnapshotStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public SnapshotWriter create(String group, SnapshotMetadata metadata) throws IOException {
            return delegate.create(group, metadata);
        }

        @Override
        public Optional<Snapshot> latest(String group) throws IOException {
            return delegate.latest(group);
        }

        @Override
        public SnapshotReceiver receive(String group, SnapshotDescriptor descriptor) throws IOException {
            final SnapshotReceiver receiver = delegate.receive(group, descriptor);
            return new SnapshotReceiver() {
                @Override
                public SnapshotDescriptor descriptor() {
                    return receiver.descriptor();
                }

                @Override
                public long nextOffset() {
                    return receiver.nextOffset();
                }

                @Override
                public long accept(long offset, ByteBuffer chunk) throws IOException {
                    try {
                        Thread.sleep(STORE_MILLIS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return receiver.accept(offset, chunk);
                }

                @Override
                public Snapshot complete() throws IOException {
                    return receiver.complete();
                }

                @Override
                public void abort() throws IOException {
                    receiver.abort();
                }

                @Override
                public void close() throws IOException {
                    receiver.close();
                }
            };
        }
    }
}
