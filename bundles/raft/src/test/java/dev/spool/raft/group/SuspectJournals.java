package dev.spool.raft.group;

import dev.spool.api.spi.journal.Journal;
import dev.spool.api.spi.journal.JournalService;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A journal service whose journals open suspect, as a {@code NONE} journal does after the machine restarted, and
 * remember whether the group cleared the flag. Everything else is the real journal's.
 */
final class SuspectJournals extends DelegatingJournals {
    private final AtomicBoolean cleared = new AtomicBoolean();

    SuspectJournals(JournalService real) {
        super(real);
    }

    /** Whether a group cleared the suspect flag of a journal it opened here. */
    boolean cleared() {
        return cleared.get();
    }

    @Override
    boolean isSuspect(Journal journal) {
        return !cleared.get();
    }

    @Override
    void clearSuspect(Journal journal) throws IOException {
        journal.clearSuspect();
        cleared.set(true);
    }
}
