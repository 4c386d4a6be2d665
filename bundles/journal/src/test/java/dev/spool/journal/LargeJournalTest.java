package dev.spool.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spool.api.codec.EntrySource;
import dev.spool.api.group.Durability;
import dev.spool.api.spi.journal.EntryReader;
import dev.spool.api.spi.journal.EntryVisitor;
import dev.spool.api.spi.journal.Journal;
import dev.spool.api.spi.journal.JournalSpec;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/** The long tier: a multi-GiB journal in 1 GiB segments, written, reopened, read back and compacted. */
@EnabledIfSystemProperty(named = "spool.test.tier", matches = "long")
class LargeJournalTest {
    private static final long ENTRIES = 3_000_000;
    private static final int SIZE = 1024;

    @TempDir
    Path base;

    @Test
    @DisplayName("3 GiB of entries in 1 GiB segments survive a reopen intact and compact segment by segment")
    void multiGibJournal() throws Exception {
        JournalSpec spec = new JournalSpec(Durability.SYNC, JournalSpec.MAX_SEGMENT_SIZE, 16 << 20);
        byte[] payload = new byte[SIZE];
        try (MappedJournalService service = new MappedJournalService(base, spec, 0)) {
            Journal journal = service.open("big");
            for (long i = 1; i <= ENTRIES; i++) {
                java.nio.ByteBuffer.wrap(payload).putLong(0, i);
                journal.writer().append(i / 100_000, Payloads.SIZED, payload);
                if (i % 10_000 == 0) {
                    journal.writer().flush();
                }
            }
            journal.close();
            Journal reopened = service.open("big");
            assertEquals(ENTRIES, reopened.lastIndex());
            long[] expected = {1};
            EntryVisitor check = new EntryVisitor() {
                @Override
                public void visit(long index, long term, EntrySource source) throws IOException {
                    assertEquals(expected[0], index);
                    assertEquals(index, source.readLong());
                    assertEquals(index / 100_000, term);
                    expected[0]++;
                }
            };
            try (EntryReader reader = reopened.openReader(1)) {
                while (reader.read(check)) {
                    // checked by the visitor
                }
            }
            assertEquals(ENTRIES + 1, expected[0]);
            reopened.compactBefore(ENTRIES);
            assertEquals(1, TestJournals.segmentFiles(base.resolve("big")).size());
        }
    }
}
