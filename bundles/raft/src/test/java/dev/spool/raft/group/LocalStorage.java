package dev.spool.raft.group;

import dev.spool.api.group.Durability;
import dev.spool.api.spi.journal.JournalSpec;
import dev.spool.api.spi.snapshot.SnapshotCompression;
import dev.spool.journal.MappedJournalService;
import dev.spool.snapshot.FileSnapshotStore;
import java.io.IOException;
import java.nio.file.Path;

/** One member's storage in a directory: a journal service and a snapshot store, reopened at will. */
final class LocalStorage implements AutoCloseable {

    /** Segments of 64 KiB: a few thousand entries span many, so compaction has whole segments to delete. */
    static final JournalSpec SMALL_SEGMENTS = new JournalSpec(Durability.NONE, 64 << 10, 32 << 10);
    /** Segments of 256 MiB: long runs without a segment roll. */
    static final JournalSpec LARGE_SEGMENTS = new JournalSpec(Durability.NONE, 256 << 20, 1 << 20);

    private final Path directory;
    private final JournalSpec spec;
    MappedJournalService journals;
    FileSnapshotStore snapshots;

    LocalStorage(Path directory, JournalSpec spec) throws IOException {
        this.directory = directory;
        this.spec = spec;
        open();
    }

    void open() throws IOException {
        journals = new MappedJournalService(directory.resolve("journal"), spec, 0);
        snapshots = new FileSnapshotStore(directory.resolve("snapshots"), 2, SnapshotCompression.NONE);
    }

    @Override
    public void close() throws IOException {
        journals.close();
        snapshots.close();
    }
}
