package dev.spool.journal;

import dev.spool.api.spi.journal.Journal;
import dev.spool.api.spi.journal.JournalService;
import dev.spool.api.spi.journal.JournalSpec;
import dev.spool.api.spi.journal.TermStore;
import dev.spool.journal.internal.BootIds;
import dev.spool.journal.internal.DirectorySync;
import dev.spool.journal.internal.FileCreator;
import dev.spool.journal.internal.FileTermStore;
import dev.spool.journal.internal.FreeSpaceProbe;
import dev.spool.journal.internal.SegmentPreparer;
import dev.spool.journal.internal.SegmentedJournal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The memory-mapped journal service of one base directory, usable from plain Java. A journal named {@code N}
 * lives in the directory {@code baseDirectory/N}; a term store named {@code N} in the file
 * {@code baseDirectory/_terms/N.term} (no journal name starts with {@code _}, so the two never meet). The on-disk
 * format is described in {@code docs/journal-format.md}.
 *
 * <p>The service owns one small daemon thread that prepares segment files ahead of the journals' writers.
 * {@link #close()} closes every journal and term store it opened. All methods are thread-safe.
 */
public final class MappedJournalService implements JournalService, AutoCloseable {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final String TERMS_DIRECTORY = "_terms";

    private final Path baseDirectory;
    private final JournalSpec defaultSpec;
    private final Supplier<String> bootId;
    private final SegmentPreparer preparer;
    private final DirectorySync directorySync;
    private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * Creates the service. Nothing is opened or created until a journal or term store is.
     *
     * @param baseDirectory where journals and term stores live
     * @param defaultSpec the spec of {@link #open(String)}
     * @param freeSpaceFloorBytes the free space that must remain on the file system: a new segment that would take
     *     it below this floor is refused with a {@code StorageExhaustedException}
     */
    public MappedJournalService(Path baseDirectory, JournalSpec defaultSpec, long freeSpaceFloorBytes) {
        this(
                baseDirectory,
                defaultSpec,
                freeSpaceFloorBytes,
                FreeSpaceProbe.fileStores(),
                BootIds.system(),
                DirectorySync.fileSystem(),
                FileCreator.fileSystem());
    }

    /** Creates the service over given file-system seams and boot identity source (tests fake them). */
    MappedJournalService(
            Path baseDirectory,
            JournalSpec defaultSpec,
            long freeSpaceFloorBytes,
            FreeSpaceProbe probe,
            Supplier<String> bootId,
            DirectorySync directorySync,
            FileCreator fileCreator) {
        if (freeSpaceFloorBytes < 0) {
            throw new IllegalArgumentException("free space floor " + freeSpaceFloorBytes + " is negative");
        }
        this.baseDirectory = baseDirectory.toAbsolutePath();
        this.defaultSpec = Objects.requireNonNull(defaultSpec, "defaultSpec");
        this.bootId = bootId;
        this.directorySync = directorySync;
        this.preparer = new SegmentPreparer(probe, freeSpaceFloorBytes, directorySync, fileCreator);
    }

    /**
     * Returns the base directory.
     *
     * @return the absolute base directory
     */
    public Path baseDirectory() {
        return baseDirectory;
    }

    @Override
    public JournalSpec defaultSpec() {
        return defaultSpec;
    }

    @Override
    public Journal open(String name) throws IOException {
        return open(name, defaultSpec);
    }

    @Override
    public synchronized Journal open(String name, JournalSpec spec) throws IOException {
        checkName(name);
        checkOpen();
        Journal[] opened = new Journal[1];
        opened[0] = SegmentedJournal.open(
                name, baseDirectory.resolve(name), spec, preparer, directorySync, bootId, () -> open.remove(opened[0]));
        open.add(opened[0]);
        return opened[0];
    }

    @Override
    public synchronized TermStore openTermStore(String name) throws IOException {
        checkName(name);
        checkOpen();
        TermStore[] opened = new TermStore[1];
        opened[0] = FileTermStore.open(
                name,
                baseDirectory.resolve(TERMS_DIRECTORY).resolve(name + ".term"),
                bootId,
                directorySync,
                () -> open.remove(opened[0]));
        open.add(opened[0]);
        return opened[0];
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid journal name '" + name + "': letters, digits, '.', '_' and"
                    + " '-', starting with a letter or digit, at most 128 characters");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("journal service for " + baseDirectory + " is closed");
        }
    }

    /**
     * Closes every journal and term store this service opened (releasing their mappings, files and locks), then
     * stops the segment preparer thread. Idempotent.
     *
     * @throws IOException the first failure met; every store is closed regardless
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException failure = null;
        for (AutoCloseable store : new ArrayList<>(open)) {
            try {
                store.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e instanceof IOException io ? io : new IOException(e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        preparer.close();
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "MappedJournalService[" + baseDirectory + ", " + defaultSpec + "]";
    }

    List<AutoCloseable> openStores() {
        return List.copyOf(open);
    }
}
