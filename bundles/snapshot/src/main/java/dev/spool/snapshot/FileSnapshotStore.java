package dev.spool.snapshot;

import dev.spool.api.spi.snapshot.Snapshot;
import dev.spool.api.spi.snapshot.SnapshotCompression;
import dev.spool.api.spi.snapshot.SnapshotDescriptor;
import dev.spool.api.spi.snapshot.SnapshotMetadata;
import dev.spool.api.spi.snapshot.SnapshotReceiver;
import dev.spool.api.spi.snapshot.SnapshotStore;
import dev.spool.api.spi.snapshot.SnapshotStoreLockedException;
import dev.spool.api.spi.snapshot.SnapshotWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A {@link SnapshotStore} over a base directory: one subdirectory per group, one file per snapshot (the format is
 * described in {@code docs/snapshot-format.md}). The store locks the base directory ({@value #LOCK_FILE}) while it is
 * open, so no other store instance, in this JVM or another, cleans up under its writers.
 *
 * <p>Thread-safe. Writers, snapshots and receivers it handed out stay usable after {@link #close()}.
 */
public class FileSnapshotStore implements SnapshotStore, AutoCloseable {

    /** The lock file in the base directory; its name cannot be a group name. */
    public static final String LOCK_FILE = ".lock";

    private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Path baseDirectory;
    private final int retain;
    private final SnapshotCompression compression;
    private final WriteChannelOpener writeChannels;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Map<String, GroupDirectory> groups = new HashMap<>();
    private boolean closed;

    /**
     * Opens the store, creating its base directory if needed. Groups are opened, and cleaned up after a crash, the
     * first time they are used.
     *
     * @param baseDirectory where the groups' directories are
     * @param retain how many valid snapshots each group keeps; at least 1
     * @param compression how new snapshots are encoded; existing snapshots are read whatever their encoding
     * @throws SnapshotStoreLockedException if another store has the directory open
     * @throws IOException if the directory cannot be created or locked
     * @throws IllegalArgumentException if {@code retain} is below 1
     */
    public FileSnapshotStore(Path baseDirectory, int retain, SnapshotCompression compression) throws IOException {
        this(baseDirectory, retain, compression, WriteChannelOpener.FILE_SYSTEM);
    }

    /** Opens the store writing new snapshot files through {@code writeChannels} (tests fake a full disk). */
    FileSnapshotStore(Path baseDirectory, int retain, SnapshotCompression compression, WriteChannelOpener writeChannels)
            throws IOException {
        this.writeChannels = Objects.requireNonNull(writeChannels, "writeChannels");
        if (retain < 1) {
            throw new IllegalArgumentException("retain must be at least 1, not " + retain);
        }
        this.baseDirectory = Objects.requireNonNull(baseDirectory, "baseDirectory");
        this.retain = retain;
        this.compression = Objects.requireNonNull(compression, "compression");
        Files.createDirectories(baseDirectory);
        final Path lockFile = baseDirectory.resolve(LOCK_FILE);
        lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lockChannel.close();
            throw new SnapshotStoreLockedException(lockFile);
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw e;
        }
        if (lock == null) {
            lockChannel.close();
            throw new SnapshotStoreLockedException(lockFile);
        }
    }

    /**
     * Returns the directory holding the groups' directories.
     *
     * @return the base directory
     */
    public Path baseDirectory() {
        return baseDirectory;
    }

    /**
     * Returns how many valid snapshots each group keeps.
     *
     * @return the retention, at least 1
     */
    public int retain() {
        return retain;
    }

    /**
     * Returns how new snapshots are encoded.
     *
     * @return the compression
     */
    public SnapshotCompression compression() {
        return compression;
    }

    @Override
    public SnapshotWriter create(String group, SnapshotMetadata metadata) throws IOException {
        Objects.requireNonNull(metadata, "metadata");
        return FileSnapshotWriter.create(group(group), metadata, compression);
    }

    @Override
    public Optional<Snapshot> latest(String group) throws IOException {
        return group(group).latest();
    }

    @Override
    public SnapshotReceiver receive(String group, SnapshotDescriptor descriptor) throws IOException {
        Objects.requireNonNull(descriptor, "descriptor");
        return group(group).receive(descriptor);
    }

    private synchronized GroupDirectory group(String name) throws IOException {
        Objects.requireNonNull(name, "group");
        if (!GROUP_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid group name '" + name + "': use 1 to 128 letters, digits, "
                    + "'.', '_' or '-', starting with a letter or digit");
        }
        if (closed) {
            throw new IllegalStateException("snapshot store " + baseDirectory + " is closed");
        }
        GroupDirectory group = groups.get(name);
        if (group == null) {
            group = GroupDirectory.open(baseDirectory.resolve(name), retain, writeChannels);
            groups.put(name, group);
        }
        return group;
    }

    /**
     * Releases the directory lock. Idempotent.
     *
     * @throws IOException if the lock file cannot be closed
     */
    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            try {
                lock.release();
            } finally {
                lockChannel.close();
            }
        }
    }

    @Override
    public String toString() {
        return "FileSnapshotStore[" + baseDirectory + ", retain " + retain + ", " + compression + "]";
    }
}
