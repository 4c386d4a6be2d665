package dev.spool.raft.group;

import dev.spool.api.codec.PayloadCodec;
import dev.spool.api.journal.EntryReader;
import dev.spool.api.journal.EntryWriter;
import dev.spool.api.journal.Journal;
import dev.spool.api.journal.JournalService;
import dev.spool.api.journal.JournalSpec;
import dev.spool.api.journal.StorageExhaustedException;
import dev.spool.api.journal.TermStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A journal service whose appends fail with {@link StorageExhaustedException} while {@link #full} is set, before
 * they reach the real journal: a disk that fills up and is freed again.
 */
final class FullDiskJournals implements JournalService {

    private final JournalService delegate;
    volatile boolean full;

    FullDiskJournals(JournalService delegate) {
        this.delegate = delegate;
    }

    private void check() throws StorageExhaustedException {
        if (full) {
            throw new StorageExhaustedException(Path.of("full-disk"), 0, 1);
        }
    }

    @Override
    public JournalSpec defaultSpec() {
        return delegate.defaultSpec();
    }

    @Override
    public Journal open(String name) throws IOException {
        return new FullDiskJournal(delegate.open(name));
    }

    @Override
    public Journal open(String name, JournalSpec spec) throws IOException {
        return new FullDiskJournal(delegate.open(name, spec));
    }

    @Override
    public TermStore openTermStore(String name) throws IOException {
        return delegate.openTermStore(name);
    }

    private final class FullDiskJournal implements Journal {
        private final Journal journal;
        private final EntryWriter writer;

        FullDiskJournal(Journal journal) {
            this.journal = journal;
            this.writer = new FullDiskWriter(journal.writer());
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
            return journal.isSuspect();
        }

        @Override
        public void clearSuspect() throws IOException {
            journal.clearSuspect();
        }

        @Override
        public void close() throws IOException {
            journal.close();
        }
    }

    private final class FullDiskWriter implements EntryWriter {
        private final EntryWriter writer;

        FullDiskWriter(EntryWriter writer) {
            this.writer = writer;
        }

        @Override
        public long nextIndex() {
            return writer.nextIndex();
        }

        @Override
        public <T> long append(long term, PayloadCodec<T> codec, T payload) throws IOException {
            check();
            return writer.append(term, codec, payload);
        }

        @Override
        public <T> long appendDurable(long term, PayloadCodec<T> codec, T payload) throws IOException {
            check();
            return writer.appendDurable(term, codec, payload);
        }

        @Override
        public long appendRaw(ByteBuffer records) throws IOException {
            check();
            return writer.appendRaw(records);
        }

        @Override
        public long appendRawVerified(ByteBuffer records) throws IOException {
            check();
            return writer.appendRawVerified(records);
        }

        @Override
        public long flush() throws IOException {
            return writer.flush();
        }
    }
}
