package dev.spool.benchmarks.snapshot;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.spi.snapshot.Snapshot;
import dev.spool.api.spi.snapshot.SnapshotCompression;
import dev.spool.api.spi.snapshot.SnapshotMetadata;
import dev.spool.api.spi.snapshot.SnapshotWriter;
import dev.spool.snapshot.FileSnapshotStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Writes and reads one snapshot of {@link #sizeMiB} MiB per operation through {@link FileSnapshotStore}, uncompressed
 * and LZ4, against the same bytes copied through a plain {@link FileChannel} (the baseline). Writes include the commit
 * (force, rename, directory force); the baseline write forces its file too. Reads stream the whole content into a
 * 1 MiB array; they run after a write of the same file, so both sides read from the page cache.
 *
 * <p>Each operation moves {@code sizeMiB} MiB: throughput in MiB/s is {@code sizeMiB} divided by the reported time.
 * Files go under {@code spool.bench.dir} (default {@code bench-data} in the working directory), never {@code /tmp}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 1)
@Measurement(iterations = 4)
public class SnapshotBenchmark {

    /** What writes and reads the bytes. */
    public enum Subject {
        /** A plain file written and read through a FileChannel: the baseline. */
        FILE_CHANNEL,
        /** The snapshot store, uncompressed. */
        STORE_NONE,
        /** The snapshot store with LZ4 blocks. */
        STORE_LZ4
    }

    private static final String GROUP = "bench";
    private static final int PIECE = 1 << 20;
    private static final SnapshotMetadata METADATA =
            new SnapshotMetadata(1, 1, Membership.of(Member.voter("a", "127.0.0.1:7000")), 1);

    /** The subject under test. */
    @Param({"FILE_CHANNEL", "STORE_NONE", "STORE_LZ4"})
    public Subject subject;

    /** The snapshot size in MiB. */
    @Param({"1024"})
    public int sizeMiB;

    private Path directory;
    private FileSnapshotStore store;
    private byte[] piece;
    private long index;

    /**
     * Creates a fresh directory, the store, and one MiB of content: two thirds text-like, one third random, so LZ4
     * finds both compressible and incompressible blocks.
     *
     * @throws IOException if the directory cannot be created
     */
    @Setup(Level.Trial)
    public void open() throws IOException {
        final Path root = Path.of(System.getProperty("spool.bench.dir", "bench-data"));
        Files.createDirectories(root);
        directory = Files.createTempDirectory(root, "snapshot-" + subject + "-");
        final SnapshotCompression compression =
                subject == Subject.STORE_LZ4 ? SnapshotCompression.LZ4 : SnapshotCompression.NONE;
        store = new FileSnapshotStore(directory, 1, compression);
        piece = new byte[PIECE];
        final var random = ThreadLocalRandom.current();
        for (int i = 0; i < PIECE; i++) {
            piece[i] = (i >>> 16) % 3 == 0 ? (byte) random.nextInt() : (byte) ('a' + i * 7 % 13);
        }
        write();
    }

    /**
     * Closes the store and deletes the directory.
     *
     * @throws IOException if something cannot be deleted
     */
    @TearDown(Level.Trial)
    public void close() throws IOException {
        store.close();
        try (Stream<Path> tree = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) tree.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }

    /**
     * Writes the whole snapshot and makes it durable.
     *
     * @return the bytes written
     * @throws IOException if the write fails
     */
    @Benchmark
    public long write() throws IOException {
        // A new file each time, the previous one deleted afterwards: what the store's retention (1) does too.
        index++;
        if (subject == Subject.FILE_CHANNEL) {
            final long size;
            try (FileChannel channel =
                    FileChannel.open(plainFile(index), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                final ByteBuffer buffer = ByteBuffer.wrap(piece);
                for (int i = 0; i < sizeMiB; i++) {
                    buffer.clear();
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                }
                channel.force(true);
                size = channel.size();
            }
            Files.deleteIfExists(plainFile(index - 1));
            return size;
        }
        try (SnapshotWriter writer = store.create(GROUP, new SnapshotMetadata(index, 1, METADATA.membership(), 1))) {
            for (int i = 0; i < sizeMiB; i++) {
                writer.outputStream().write(piece);
            }
            return writer.commit().size();
        }
    }

    private Path plainFile(long number) {
        return directory.resolve("plain-" + number);
    }

    /**
     * Reads the whole content back.
     *
     * @return the bytes read
     * @throws IOException if the read fails
     */
    @Benchmark
    public long read() throws IOException {
        final byte[] target = new byte[PIECE];
        long total = 0;
        if (subject == Subject.FILE_CHANNEL) {
            try (FileChannel channel = FileChannel.open(plainFile(index), StandardOpenOption.READ)) {
                final ByteBuffer buffer = ByteBuffer.wrap(target);
                for (int n; (n = channel.read(buffer.clear())) >= 0; ) {
                    total += n;
                }
            }
            return total;
        }
        try (Snapshot snapshot = store.latest(GROUP).orElseThrow();
                InputStream in = snapshot.openStream()) {
            for (int n; (n = in.read(target)) >= 0; ) {
                total += n;
            }
        }
        return total;
    }
}
