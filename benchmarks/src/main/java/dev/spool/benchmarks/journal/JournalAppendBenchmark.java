package dev.spool.benchmarks.journal;

import dev.spool.api.group.Durability;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Appends one entry per operation, copying a preallocated payload into the journal. Under {@code SYNC} every
 * {@link JournalShape#APPENDS_PER_FLUSH}th append is followed by a flush point, whose cost is part of the measurement.
 * The journal rolls to new segments throughout; the oldest are deleted so the disk holds a few segments at most.
 */
public class JournalAppendBenchmark extends JournalBenchmark {

    /** Whether flush points force to disk. */
    @Param({"NONE", "SYNC"})
    public Durability durability;

    private JournalUnderTest appendTo;
    private ByteBuffer payload;
    private boolean sync;
    private int appendsUntilFlush;
    private long retainedEntries;
    private long appendsUntilDiscard;

    /**
     * Opens a new, empty journal.
     *
     * @throws IOException if it cannot be created
     */
    @Setup(Level.Trial)
    public void open() throws IOException {
        appendTo = openJournal("append", durability);
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
        long index = appendTo.append(payload);
        if (sync && --appendsUntilFlush == 0) {
            appendTo.flush();
            appendsUntilFlush = JournalShape.APPENDS_PER_FLUSH;
        }
        if (--appendsUntilDiscard == 0) {
            appendTo.discardBefore(index - retainedEntries);
            appendsUntilDiscard = retainedEntries;
        }
        return index;
    }
}
