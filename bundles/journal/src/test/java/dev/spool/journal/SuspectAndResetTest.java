package dev.spool.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.spi.journal.EntryReader;
import dev.spool.api.spi.journal.Journal;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The suspect-log flag, and resetting a journal after a snapshot. */
class SuspectAndResetTest {
    @TempDir
    Path base;

    final TestJournals env = new TestJournals();

    @Test
    @DisplayName("a NONE journal reopened under another boot is suspect, persistently, until cleared")
    void noneJournalBecomesSuspectAfterReboot() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            service.open("j").close();
            assertFalse(service.open("j").isSuspect(), "same boot: not suspect");
        }
        env.bootId.set("boot-2");
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            Journal journal = service.open("j");
            assertTrue(journal.isSuspect());
            journal.close();
            journal = service.open("j");
            assertTrue(journal.isSuspect(), "the flag is persisted");
            journal.clearSuspect();
            assertFalse(journal.isSuspect());
            journal.close();
            assertFalse(service.open("j").isSuspect(), "clearing is persisted");
        }
    }

    @Test
    @DisplayName("a SYNC journal is not made suspect by a reboot")
    void syncJournalIsNotSuspect() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_SYNC)) {
            service.open("j").close();
        }
        env.bootId.set("boot-2");
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_SYNC)) {
            assertFalse(service.open("j").isSuspect());
        }
    }

    @Test
    @DisplayName("resetTo discards every entry and restarts at the given index, across a reopen")
    void resetRestartsTheJournal() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            Journal journal = service.open("j");
            for (long i = 1; i <= 60; i++) {
                journal.writer().append(2, Payloads.SIZED, Payloads.payload(i, 3000));
            }
            EntryReader stale = journal.openReader(10);
            journal.resetTo(1000);
            assertEquals(1000, journal.firstIndex());
            assertEquals(999, journal.lastIndex());
            assertThrows(
                    IndexOutOfBoundsException.class,
                    () -> stale.read(Payloads.SIZED),
                    "a reader on the discarded entries finds them gone");
            stale.close();
            assertEquals(1000, journal.writer().append(1, Payloads.SIZED, Payloads.text("fresh")));
            journal.close();
            assertEquals(1, TestJournals.segmentFiles(base.resolve("j")).size());

            Journal reopened = service.open("j");
            assertEquals(1000, reopened.firstIndex());
            assertEquals(1000, reopened.lastIndex());
            try (EntryReader reader = reopened.openReader(1000)) {
                assertArrayEquals(Payloads.text("fresh"), reader.read(Payloads.SIZED));
                assertNull(reader.read(Payloads.SIZED));
            }
            reopened.resetTo(5);
            assertEquals(5, reopened.writer().append(1, Payloads.SIZED, Payloads.text("back")));
            reopened.close();
            assertEquals(5, service.open("j").lastIndex(), "a reset to a lower index wins over older segments");
        }
    }
}
