package dev.spool.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.spi.journal.Journal;
import dev.spool.api.spi.journal.JournalClosedException;
import dev.spool.api.spi.journal.JournalLockedException;
import dev.spool.api.spi.journal.TermStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour 9: one opener at a time, and closing releases everything. */
class LockTest {
    @TempDir
    Path base;

    final TestJournals env = new TestJournals();

    @Test
    @DisplayName("a second opener in the same JVM is refused; after close the journal opens again")
    void sameJvmLock() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE);
                MappedJournalService other = env.service(base, TestJournals.SMALL_NONE)) {
            Journal journal = service.open("j");
            journal.writer().append(1, Payloads.SIZED, Payloads.text("x"));
            assertThrows(JournalLockedException.class, () -> service.open("j"));
            assertThrows(JournalLockedException.class, () -> other.open("j"));
            TermStore terms = service.openTermStore("j");
            assertThrows(JournalLockedException.class, () -> other.openTermStore("j"));
            journal.close();
            terms.close();
            assertThrows(
                    JournalClosedException.class, () -> journal.writer().append(1, Payloads.SIZED, Payloads.text("y")));
            try (Journal again = other.open("j");
                    TermStore termsAgain = other.openTermStore("j")) {
                assertEquals(1, again.lastIndex());
                assertEquals(0, termsAgain.term());
            }
        }
    }

    @Test
    @DisplayName("closing the service closes every journal and term store it opened")
    void serviceCloseReleasesEverything() throws Exception {
        MappedJournalService service = env.service(base, TestJournals.SMALL_NONE);
        Journal journal = service.open("a");
        service.open("b");
        service.openTermStore("a");
        journal.openReader(1).close();
        service.close();
        try (MappedJournalService again = env.service(base, TestJournals.SMALL_NONE)) {
            again.open("a");
            again.open("b");
            again.openTermStore("a");
            assertEquals(3, again.openStores().size());
        }
    }

    @Test
    @DisplayName("after a refused second opener in this JVM, another JVM is still refused too")
    void refusedOpenerDoesNotDropTheLock() throws Exception {
        try (MappedJournalService service = env.service(base, JournalChild.SPEC);
                MappedJournalService other = env.service(base, JournalChild.SPEC);
                Journal journal = service.open("j")) {
            assertThrows(JournalLockedException.class, () -> other.open("j"));
            Process child = JournalChild.start("lock", base);
            try {
                assertTrue(child.waitFor(60, TimeUnit.SECONDS));
                assertEquals(1, child.exitValue(), "the other JVM failed to open the journal");
            } finally {
                child.destroyForcibly();
            }
            assertEquals(0, journal.lastIndex());
        }
    }

    @Test
    @DisplayName("a journal open in another JVM is refused with JournalLockedException")
    void otherJvmLock() throws Exception {
        Process child = JournalChild.start("lock", base);
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("locked", out.readLine());
            try (MappedJournalService service = env.service(base, JournalChild.SPEC)) {
                assertThrows(JournalLockedException.class, () -> service.open("j"));
                child.getOutputStream().close();
                assertTrue(child.waitFor(60, TimeUnit.SECONDS));
                assertEquals(0, child.exitValue());
                service.open("j").close();
            }
        } finally {
            child.destroyForcibly();
        }
    }
}
