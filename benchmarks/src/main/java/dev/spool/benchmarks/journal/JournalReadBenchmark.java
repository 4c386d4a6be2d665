package dev.spool.benchmarks.journal;

import dev.spool.api.journal.Durability;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
 * Reads one entry per operation, sequentially, over a journal of {@link JournalShape#READ_PAYLOAD_BYTES} written
 * before the measurement (in the page cache, larger than any CPU cache), wrapping to the first entry after the last.
 * Each read verifies the entry's checksum and copies its payload into a preallocated buffer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class JournalReadBenchmark {

    /** The journal under test. */
    @Param({"MMAP_LOOP", "ATOMIX_STORAGE"})
    public Implementation journal;

    /** The payload size in bytes. */
    @Param({"64", "1024", "65536"})
    public int payloadSize;

    private Path directory;
    private JournalUnderTest journalUnderTest;
    private JournalUnderTest.SequentialReader reader;

    /**
     * Writes the journal to read and opens a reader at its start.
     *
     * @throws IOException if that fails
     */
    @Setup(Level.Trial)
    public void open() throws IOException {
        directory = BenchmarkFiles.freshDirectory("read-" + journal + "-" + payloadSize);
        journalUnderTest = journal.open(directory, Durability.NONE);
        ByteBuffer payload = JournalShape.payload(payloadSize);
        for (long written = 0; written < JournalShape.READ_PAYLOAD_BYTES; written += payloadSize) {
            journalUnderTest.append(payload);
        }
        reader = journalUnderTest.openReader(ByteBuffer.allocateDirect(payloadSize));
    }

    /**
     * Reads the next entry.
     *
     * @return the payload's first eight bytes
     * @throws IOException if the read fails
     */
    @Benchmark
    public long read() throws IOException {
        return reader.readNext();
    }

    /**
     * Closes the journal and deletes its files.
     *
     * @throws IOException if that fails
     */
    @TearDown(Level.Trial)
    public void close() throws IOException {
        try {
            if (journalUnderTest != null) {
                journalUnderTest.close();
            }
        } finally {
            BenchmarkFiles.delete(directory);
        }
    }
}
