package dev.spool.benchmarks.journal;

import dev.spool.api.group.Durability;
import java.io.IOException;
import java.nio.file.Path;

/** The journal implementations a benchmark can run against: the {@code journal} parameter of every benchmark. */
public enum Implementation {
    /** Spool's journal, {@code dev.spool.journal.MappedJournalService}, through the api. */
    SPOOL {
        @Override
        JournalUnderTest open(Path directory, Durability durability) throws IOException {
            return new SpoolJournal(directory, durability);
        }
    },
    /** The minimal hand-written loop over memory-mapped segment files: the lower baseline. */
    MMAP_LOOP {
        @Override
        JournalUnderTest open(Path directory, Durability durability) throws IOException {
            return new MmapLoopJournal(directory, durability);
        }
    },
    /** OpenDaylight's {@code atomix-storage}, the journal of the stack Spool replaces. */
    ATOMIX_STORAGE {
        @Override
        JournalUnderTest open(Path directory, Durability durability) throws IOException {
            return new AtomixStorageJournal(directory, durability);
        }
    };

    /**
     * Opens a new, empty journal of this implementation.
     *
     * @param directory an empty directory the journal owns
     * @param durability whether flush points force to disk
     * @return the journal
     * @throws IOException if it cannot be created
     */
    abstract JournalUnderTest open(Path directory, Durability durability) throws IOException;
}
