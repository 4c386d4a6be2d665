package dev.spool.benchmarks.journal;

import dev.spool.api.group.Durability;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * Reads one entry per operation, sequentially, over a journal written before the measurement (in the page cache,
 * larger than any CPU cache, see {@link JournalShape#READ_PAYLOAD_BYTES}), wrapping to the first entry after the last.
 * Each read verifies the entry's checksum and copies its payload into a preallocated buffer.
 */
public class JournalReadBenchmark extends JournalBenchmark {

    private JournalUnderTest.SequentialReader reader;

    /**
     * Writes the journal to read and opens a reader at its start.
     *
     * @throws IOException if that fails
     */
    @Setup(Level.Trial)
    public void open() throws IOException {
        JournalUnderTest readFrom = openJournal("read", Durability.NONE);
        ByteBuffer payload = JournalShape.payload(payloadSize);
        long entries = Math.min(JournalShape.READ_PAYLOAD_BYTES / payloadSize, JournalShape.MAX_READ_ENTRIES);
        for (long written = 0; written < entries; written++) {
            readFrom.append(payload);
        }
        reader = readFrom.openReader(ByteBuffer.allocateDirect(payloadSize));
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
}
