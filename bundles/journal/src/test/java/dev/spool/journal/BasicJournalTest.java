package dev.spool.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.group.Durability;
import dev.spool.api.spi.journal.EntryReader;
import dev.spool.api.spi.journal.Journal;
import dev.spool.api.spi.journal.JournalSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BasicJournalTest {
    static final JournalSpec SMALL = new JournalSpec(Durability.SYNC, 64 << 10, 16 << 10);

    @TempDir
    Path base;

    @Test
    @DisplayName("entries appended across many segments read back in order, with their terms, after a reopen")
    void appendReadAcrossSegmentsAndReopen() throws Exception {
        try (MappedJournalService service = new MappedJournalService(base, SMALL, 0)) {
            Journal journal = service.open("j");
            for (int i = 1; i <= 500; i++) {
                long index = journal.writer()
                        .append(
                                i / 100,
                                i % 2 == 0 ? Payloads.SIZED : Payloads.UNSIZED,
                                Payloads.payload(i, 700 + i % 300));
                assertEquals(i, index);
            }
            journal.writer().flush();
            assertEquals(500, journal.lastIndex());
            assertEquals(3, journal.termAt(300));
            assertEquals(0, journal.termAt(1));
            journal.close();

            Journal reopened = service.open("j");
            assertEquals(1, reopened.firstIndex());
            assertEquals(500, reopened.lastIndex());
            try (EntryReader reader = reopened.openReader(1)) {
                for (int i = 1; i <= 500; i++) {
                    assertArrayEquals(Payloads.payload(i, 700 + i % 300), reader.read(Payloads.SIZED), "entry " + i);
                }
                assertNull(reader.read(Payloads.SIZED));
                reader.seek(250);
                long[] seen = new long[2];
                assertTrue(reader.read((index, term, payload) -> {
                    seen[0] = index;
                    seen[1] = term;
                }));
                assertEquals(250, seen[0]);
                assertEquals(2, seen[1]);
            }
            assertEquals(501, reopened.writer().append(5, Payloads.SIZED, Payloads.text("after")));
            assertFalse(reopened.isSuspect());
        }
    }
}
