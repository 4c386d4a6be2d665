package dev.spool.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spool.api.spi.journal.TermStore;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The term store: durable term and vote, torn updates leave the previous value. */
class TermStoreTest {
    @TempDir
    Path base;

    final TestJournals env = new TestJournals();

    private Path storeFile() {
        return base.resolve("_terms").resolve("g1.term");
    }

    @Test
    @DisplayName("term, vote and boot identity survive a reopen")
    void valuesSurviveReopen() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_SYNC)) {
            try (TermStore store = service.openTermStore("g1")) {
                assertEquals(0, store.term());
                assertEquals(Optional.empty(), store.votedFor());
                assertEquals("", store.bootId());
                store.update(3, "member-2");
                store.update(4, null);
            }
            env.bootId.set("boot-2");
            try (TermStore store = service.openTermStore("g1")) {
                assertEquals(4, store.term());
                assertEquals(Optional.empty(), store.votedFor());
                assertEquals("boot-1", store.bootId(), "the boot the last update was made under");
                store.update(4, "member-3");
                assertEquals("boot-2", store.bootId());
            }
        }
    }

    @Test
    @DisplayName("a torn (corrupt) newest slot leaves the previous value readable")
    void tornUpdateKeepsPreviousValue() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_SYNC)) {
            try (TermStore store = service.openTermStore("g1")) {
                store.update(5, "a"); // slot 1
                store.update(6, "b"); // slot 0
            }
            TestJournals.flipByte(storeFile(), 20); // tear slot 0, the newest
            try (TermStore store = service.openTermStore("g1")) {
                assertEquals(5, store.term());
                assertEquals(Optional.of("a"), store.votedFor());
                store.update(7, "c");
            }
            try (TermStore store = service.openTermStore("g1")) {
                assertEquals(7, store.term());
                assertEquals(Optional.of("c"), store.votedFor());
            }
        }
    }

    @Test
    @DisplayName("a term going backwards, or a second vote in a term, is refused")
    void refusesUnsafeUpdates() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_SYNC);
                TermStore store = service.openTermStore("g1")) {
            store.update(5, "a");
            assertThrows(IllegalArgumentException.class, () -> store.update(4, null));
            assertThrows(IllegalArgumentException.class, () -> store.update(5, "b"));
            store.update(5, "a");
            assertEquals(Optional.of("a"), store.votedFor());
        }
    }
}
