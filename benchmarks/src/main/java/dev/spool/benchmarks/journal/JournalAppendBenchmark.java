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
 * Appends one entry per operation, copying a preallocated payload into the journal. Under {@code SYNC} every
 * {@link JournalShape#APPENDS_PER_FLUSH}th append is followed by a flush point, whose cost is part of the measurement.
 * The journal rolls to fresh segments throughout; the oldest are deleted so the disk holds a few segments at most.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class JournalAppendBenchmark {

    /** The journal under test. */
    @Param({"MMAP_LOOP", "ATOMIX_STORAGE"})
    public Implementation journal;

    /** The payload size in bytes. */
    @Param({"64", "1024", "65536"})
    public int payloadSize;

    /** Whether flush points force to disk. */
    @Param({"NONE", "SYNC"})
    public Durability durability;

    private Path directory;
    private JournalUnderTest journalUnderTest;
    private ByteBuffer payload;
    private boolean sync;
    private int appendsUntilFlush;
    private long retainedEntries;
    private long appendsUntilDiscard;

    /**
     * Opens a new journal in a fresh directory.
     *
     * @throws IOException if it cannot be created
     */
    @Setup(Level.Trial)
    public void open() throws IOException {
        directory = BenchmarkFiles.freshDirectory("append-" + journal + "-" + payloadSize + "-" + durability);
        journalUnderTest = journal.open(directory, durability);
        payload = JournalShape.payload(payloadSize);
        sync = durability == Durability.SYNC;
        appendsUntilFlush = JournalShape.APPENDS_PER_FLUSH;
        retainedEntries = JournalShape.RETAINED_PAYLOAD_BYTES / payloadSize;
        appendsUntilDiscard = retainedEntries;
    }

    /**
     * Appends one entry; flushes and discards old segments when their turn comes.
     *
     * @return the entry's index
     * @throws IOException if the journal fails
     */
    @Benchmark
    public long append() throws IOException {
        long index = journalUnderTest.append(payload);
        if (sync && --appendsUntilFlush == 0) {
            journalUnderTest.flush();
            appendsUntilFlush = JournalShape.APPENDS_PER_FLUSH;
        }
        if (--appendsUntilDiscard == 0) {
            journalUnderTest.discardBefore(index - retainedEntries);
            appendsUntilDiscard = retainedEntries;
        }
        return index;
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
