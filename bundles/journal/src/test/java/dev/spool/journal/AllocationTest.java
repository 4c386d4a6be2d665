package dev.spool.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.codec.EntrySource;
import dev.spool.api.group.Durability;
import dev.spool.api.spi.journal.EntryReader;
import dev.spool.api.spi.journal.EntryVisitor;
import dev.spool.api.spi.journal.Journal;
import dev.spool.api.spi.journal.JournalSpec;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour 10: steady-state appends and reads allocate nothing per entry. */
class AllocationTest {
    private static final int WARM_UP = 30_000;
    private static final int MEASURED = 100_000;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @TempDir
    Path base;

    final TestJournals env = new TestJournals();

    /** Sums payload bytes, so the read is not optimised away; one instance serves every read. */
    private static final class Summing implements EntryVisitor {
        long sum;

        @Override
        public void visit(long index, long term, EntrySource payload) throws IOException {
            while (payload.remaining() >= Long.BYTES) {
                sum += payload.readLong();
            }
        }
    }

    @Test
    @DisplayName("the writer and a reader allocate less than one byte per 1 KiB entry over 100,000 entries")
    void appendsAndReadsDoNotAllocate() throws Exception {
        JournalSpec spec = new JournalSpec(Durability.NONE, 64 << 20, 1 << 20);
        try (MappedJournalService service = env.service(base, spec)) {
            Journal journal = service.open("j");
            byte[] payload = Payloads.payload(1, 1024);
            for (int i = 0; i < WARM_UP; i++) {
                journal.writer().append(1, Payloads.SIZED, payload);
            }
            long threadId = Thread.currentThread().getId();
            long before = THREADS.getThreadAllocatedBytes(threadId);
            for (int i = 0; i < MEASURED; i++) {
                journal.writer().append(1, Payloads.SIZED, payload);
            }
            long writerBytes = THREADS.getThreadAllocatedBytes(threadId) - before;
            assertTrue(
                    writerBytes < MEASURED, "writer allocated " + writerBytes + " bytes for " + MEASURED + " entries");

            long readerBytes = CompletableFuture.supplyAsync(() -> {
                        try (EntryReader reader = journal.openReader(1)) {
                            Summing visitor = new Summing();
                            for (int i = 0; i < WARM_UP; i++) {
                                reader.read(visitor);
                            }
                            long id = Thread.currentThread().getId();
                            long start = THREADS.getThreadAllocatedBytes(id);
                            int read = 0;
                            while (read < MEASURED && reader.read(visitor)) {
                                read++;
                            }
                            long allocated = THREADS.getThreadAllocatedBytes(id) - start;
                            assertEquals(MEASURED, read);
                            return allocated;
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .get(2, TimeUnit.MINUTES);
            assertTrue(
                    readerBytes < MEASURED, "reader allocated " + readerBytes + " bytes for " + MEASURED + " entries");
        }
    }

    @Test
    @DisplayName("a roll into a recycled segment and the compaction that frees one allocate under 2 KiB on the writer")
    void rollsAndCompactionsAllocateLittle() throws Exception {
        int entriesPerSegment = 4;
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            Journal journal = service.open("j");
            byte[] payload = Payloads.payload(1, 15_000);
            for (int i = 0; i < 2_000; i++) { // warm up: compile, and fill the recycled-file pool
                appendAndCompact(journal, payload, entriesPerSegment);
            }
            int rolls = 2_000;
            long threadId = Thread.currentThread().getId();
            long before = THREADS.getThreadAllocatedBytes(threadId);
            for (int i = 0; i < rolls * entriesPerSegment; i++) {
                appendAndCompact(journal, payload, entriesPerSegment);
            }
            long perRoll = (THREADS.getThreadAllocatedBytes(threadId) - before) / rolls;
            // What is left: two file names and two renames, the new Segment, and the hand-offs to the preparer.
            assertTrue(perRoll < 2048, "writer allocated " + perRoll + " bytes per roll and compaction");
        }
    }

    /** Appends one entry; keeps the journal at about three segments, compacting one segment's worth at a time. */
    private static void appendAndCompact(Journal journal, byte[] payload, int entriesPerSegment) throws IOException {
        long index = journal.writer().append(1, Payloads.SIZED, payload);
        if (index % entriesPerSegment == 0 && index > 3L * entriesPerSegment) {
            journal.compactBefore(index - 2L * entriesPerSegment);
        }
    }
}
