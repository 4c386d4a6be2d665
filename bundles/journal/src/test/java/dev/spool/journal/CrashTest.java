package dev.spool.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.spi.journal.EntryReader;
import dev.spool.api.spi.journal.Journal;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process killed mid-append loses nothing it reported written (NONE: the page cache keeps it). */
class CrashTest {
    @TempDir
    Path base;

    @Test
    @DisplayName("SIGKILL of a JVM appending to a NONE journal: every entry it reported is there and intact")
    void killedWriterLosesNothingReported() throws Exception {
        long reported = 0;
        Process child = JournalChild.start("append", base);
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            while (reported < 20_000) {
                reported = Long.parseLong(out.readLine());
            }
            // Killed mid-append: the child is still appending (entries of up to 4 KiB, across segment rolls).
            child.destroyForcibly();
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        }
        assertTrue(reported >= 20_000, "the child reported " + reported + " entries");

        try (MappedJournalService service = new MappedJournalService(base, JournalChild.SPEC, 0)) {
            Journal journal = service.open("j");
            assertTrue(journal.lastIndex() >= reported, "last index " + journal.lastIndex() + " < " + reported);
            try (EntryReader reader = journal.openReader(1)) {
                for (long i = 1; i <= reported; i++) {
                    assertArrayEquals(
                            Payloads.payload(i, 100 + (int) (i % 4000)), reader.read(Payloads.SIZED), "entry " + i);
                }
            }
            long next = journal.lastIndex() + 1;
            journal.writer().append(1, Payloads.SIZED, Payloads.text("after the crash"));
            assertTrue(journal.lastIndex() == next);
        }
    }
}
