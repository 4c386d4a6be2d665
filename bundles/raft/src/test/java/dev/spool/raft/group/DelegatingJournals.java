package dev.spool.raft.group;

import dev.spool.api.codec.PayloadCodec;
import dev.spool.api.spi.journal.EntryReader;
import dev.spool.api.spi.journal.EntryWriter;
import dev.spool.api.spi.journal.Journal;
import dev.spool.api.spi.journal.JournalService;
import dev.spool.api.spi.journal.JournalSpec;
import dev.spool.api.spi.journal.TermStore;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A journal service whose journals hand every call to the real ones; a test subclasses it and overrides the hooks
 * through which it injects a fault or watches what the group does. Each hook is given the real journal.
 */
abstract class DelegatingJournals implements JournalService {

    private final JournalService delegate;

    DelegatingJournals(JournalService delegate) {
        this.delegate = delegate;
    }

    /**
     * Called before every append (of a payload, a durable payload or raw records) reaches the journal.
     *
     * @param journal the real journal
     * @throws IOException to fail the append as the journal would
     */
    void beforeAppend(Journal journal) throws IOException {}

    /**
     * Called before every flush reaches the journal.
     *
     * @param journal the real journal
     * @throws IOException to fail the flush as the journal would
     */
    void beforeFlush(Journal journal) throws IOException {}

    /**
     * Answers {@link Journal#isSuspect()}.
     *
     * @param journal the real journal
     * @return whether the journal is taken for suspect
     */
    boolean isSuspect(Journal journal) {
        return journal.isSuspect();
    }

    /**
     * Carries out {@link Journal#clearSuspect()}.
     *
     * @param journal the real journal
     */
    void clearSuspect(Journal journal) throws IOException {
        journal.clearSuspect();
    }

    @Override
    public final JournalSpec defaultSpec() {
        return delegate.defaultSpec();
    }

    @Override
    public final Journal open(String name) throws IOException {
        return new DelegatingJournal(delegate.open(name));
    }

    @Override
    public final Journal open(String name, JournalSpec spec) throws IOException {
        return new DelegatingJournal(delegate.open(name, spec));
    }

    @Override
    public final TermStore openTermStore(String name) throws IOException {
        return delegate.openTermStore(name);
    }

    private final class DelegatingJournal implements Journal {
        private final Journal journal;
        private final EntryWriter writer;

        DelegatingJournal(Journal journal) {
            this.journal = journal;
            this.writer = new DelegatingWriter(journal);
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
            return writer;
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
        public boolean isSuspect() {
            return DelegatingJournals.this.isSuspect(journal);
        }

        @Override
        public void clearSuspect() throws IOException {
            DelegatingJournals.this.clearSuspect(journal);
        }

        @Override
        public void close() throws IOException {
            journal.close();
        }
    }

    private final class DelegatingWriter implements EntryWriter {
        private final Journal journal;
        private final EntryWriter writer;

        DelegatingWriter(Journal journal) {
            this.journal = journal;
            this.writer = journal.writer();
        }

        @Override
        public long nextIndex() {
            return writer.nextIndex();
        }

        @Override
        public <T> long append(long term, PayloadCodec<T> codec, T payload) throws IOException {
            beforeAppend(journal);
            return writer.append(term, codec, payload);
        }

        @Override
        public <T> long appendDurable(long term, PayloadCodec<T> codec, T payload) throws IOException {
            beforeAppend(journal);
            return writer.appendDurable(term, codec, payload);
        }

        @Override
        public long appendRaw(ByteBuffer records) throws IOException {
            beforeAppend(journal);
            return writer.appendRaw(records);
        }

        @Override
        public long appendRawVerified(ByteBuffer records) throws IOException {
            beforeAppend(journal);
            return writer.appendRawVerified(records);
        }

        @Override
        public long flush() throws IOException {
            beforeFlush(journal);
            return writer.flush();
        }
    }
}
