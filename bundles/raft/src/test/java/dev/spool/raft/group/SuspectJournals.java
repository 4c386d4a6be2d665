package dev.spool.raft.group;

import dev.spool.api.journal.EntryReader;
import dev.spool.api.journal.EntryWriter;
import dev.spool.api.journal.Journal;
import dev.spool.api.journal.JournalService;
import dev.spool.api.journal.JournalSpec;
import dev.spool.api.journal.TermStore;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A journal service whose journals open suspect, as a {@code NONE} journal does after the machine restarted, and
 * remember whether the group cleared the flag. Everything else is the real journal's.
 */
final class SuspectJournals implements JournalService {
    private final JournalService real;
    private final AtomicBoolean cleared = new AtomicBoolean();

    SuspectJournals(JournalService real) {
        this.real = real;
    }

    /** Whether a group cleared the suspect flag of a journal it opened here. */
    boolean cleared() {
        return cleared.get();
    }

    @Override
    public JournalSpec defaultSpec() {
        return real.defaultSpec();
    }

    @Override
    public Journal open(String name) throws IOException {
        return new SuspectJournal(real.open(name));
    }

    @Override
    public Journal open(String name, JournalSpec spec) throws IOException {
        return new SuspectJournal(real.open(name, spec));
    }

    @Override
    public TermStore openTermStore(String name) throws IOException {
        return real.openTermStore(name);
    }

    private final class SuspectJournal implements Journal {
        private final Journal journal;

        SuspectJournal(Journal journal) {
            this.journal = journal;
        }

        @Override
        public boolean isSuspect() {
            return !cleared.get();
        }

        @Override
        public void clearSuspect() throws IOException {
            journal.clearSuspect();
            cleared.set(true);
        }

        @Override
        public String name() {
            return journal.name();
        }

        @Override
        public JournalSpec spec() {
            return journal.spec();
        }

        @Override
        public long firstIndex() {
            return journal.firstIndex();
        }

        @Override
        public long lastIndex() {
            return journal.lastIndex();
        }

        @Override
        public long termAt(long index) {
            return journal.termAt(index);
        }

        @Override
        public EntryWriter writer() {
            return journal.writer();
        }

        @Override
        public EntryReader openReader(long index) throws IOException {
            return journal.openReader(index);
        }

        @Override
        public void truncateAfter(long index) throws IOException {
            journal.truncateAfter(index);
        }

        @Override
        public void compactBefore(long index) throws IOException {
            journal.compactBefore(index);
        }

        @Override
        public void resetTo(long nextIndex) throws IOException {
            journal.resetTo(nextIndex);
        }

        @Override
        public void close() throws IOException {
            journal.close();
        }
    }
}
