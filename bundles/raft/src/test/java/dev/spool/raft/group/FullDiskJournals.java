package dev.spool.raft.group;

import dev.spool.api.spi.journal.Journal;
import dev.spool.api.spi.journal.JournalService;
import dev.spool.api.spi.journal.StorageExhaustedException;
import java.nio.file.Path;

/**
 * A journal service whose appends fail with {@link StorageExhaustedException} while {@link #full} is set, before
 * they reach the real journal: a disk that fills up and is freed again.
 */
final class FullDiskJournals extends DelegatingJournals {

    volatile boolean full;

    FullDiskJournals(JournalService delegate) {
        super(delegate);
    }

    @Override
    void beforeAppend(Journal journal) throws StorageExhaustedException {
        if (full) {
            throw new StorageExhaustedException(Path.of("full-disk"), 0, 1);
        }
    }
}
