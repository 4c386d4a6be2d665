package dev.spool.snapshot;

import dev.spool.api.spi.snapshot.CorruptSnapshotException;
import dev.spool.api.spi.snapshot.Snapshot;
import dev.spool.api.spi.snapshot.SnapshotDescriptor;
import dev.spool.api.spi.snapshot.SnapshotMetadata;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The snapshots of one group: a directory of published files, at most one partial transfer, and temporary files of
 * writers in progress. It publishes by rename, finds the newest snapshot that verifies, applies retention, and owns
 * the group's active receiver. Methods that look at or change the set of published files hold this object's monitor.
 *
 * <p>A published file is verified (its whole body read and checked) once per store instance: when this store wrote
 * or received it, or the first time it is opened. Published files are never written in place, so the result holds;
 * streams still check the checksum again as they reach the end.
 */
final class GroupDirectory {
    private static final System.Logger LOG = System.getLogger(GroupDirectory.class.getName());

    private final Path directory;
    private final int retain;
    private final WriteChannelOpener writeChannels;
    private final Set<String> verified = new HashSet<>();
    private FileSnapshotReceiver receiver;

    private GroupDirectory(Path directory, int retain, WriteChannelOpener writeChannels) {
        this.directory = directory;
        this.retain = retain;
        this.writeChannels = writeChannels;
    }

    /** Opens, or creates, a group's directory, removing the temporary files a crashed writer left. */
    static GroupDirectory open(Path directory, int retain, WriteChannelOpener writeChannels) throws IOException {
        Files.createDirectories(directory);
        for (Path leftover : list(directory, SnapshotFileNames::isTemporary)) {
            Files.deleteIfExists(leftover);
            LOG.log(Level.INFO, "removed unpublished snapshot file {0}", leftover);
        }
        return new GroupDirectory(directory, retain, writeChannels);
    }

    /** Opens {@code file} of this directory for writing, creating it if needed. */
    FileChannel openForWriting(Path file) throws IOException {
        return writeChannels.open(file);
    }

    Path newTemporaryFile(SnapshotMetadata metadata) throws IOException {
        return Files.createTempFile(
                directory, SnapshotFileNames.temporaryPrefix(metadata), SnapshotFileNames.TEMPORARY_SUFFIX);
    }

    /**
     * Publishes a complete, forced snapshot file under its final name, then applies retention.
     *
     * @param source the complete file in this directory
     * @param descriptor its descriptor
     */
    synchronized void publish(Path source, SnapshotDescriptor descriptor) throws IOException {
        publishLocked(source, descriptor);
    }

    private Path publishLocked(Path source, SnapshotDescriptor descriptor) throws IOException {
        final String name = SnapshotFileNames.published(descriptor.lastIndex(), descriptor.lastTerm());
        final Path target = directory.resolve(name);
        // Replaces a snapshot of the same index and term atomically: readers see the old file or the new one.
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory();
        verified.add(name);
        try {
            applyRetention();
        } catch (IOException e) {
            // The snapshot is published; old files stay until the next publication retries.
            LOG.log(Level.WARNING, "retention failed after publishing " + target, e);
        }
        return target;
    }

    /** Returns the newest snapshot that verifies, logging each newer one it skips. */
    synchronized Optional<Snapshot> latest() throws IOException {
        for (String name : publishedNewestFirst()) {
            try {
                return Optional.of(openVerified(name));
            } catch (CorruptSnapshotException e) {
                LOG.log(Level.WARNING, "skipping snapshot {0}: {1}", directory.resolve(name), e.getMessage());
            }
        }
        return Optional.empty();
    }

    /**
     * Starts or resumes a transfer, superseding the active receiver and discarding partial files of other transfers.
     */
    synchronized FileSnapshotReceiver receive(SnapshotDescriptor descriptor) throws IOException {
        if (receiver != null) {
            receiver.supersede();
            receiver = null;
        }
        final String partialName = SnapshotFileNames.partial(descriptor);
        for (Path other : list(directory, name -> SnapshotFileNames.isPartial(name) && !name.equals(partialName))) {
            Files.deleteIfExists(other);
            LOG.log(Level.INFO, "discarded partial snapshot transfer {0}: a transfer of {1} starts", other, descriptor);
        }
        receiver = FileSnapshotReceiver.open(this, directory.resolve(partialName), descriptor);
        return receiver;
    }

    /**
     * Publishes the verified bytes of {@code finished}, the active receiver, and opens them for installing.
     *
     * @throws IllegalStateException if another receiver superseded it
     */
    synchronized Snapshot publishReceived(FileSnapshotReceiver finished, Path partial) throws IOException {
        if (receiver != finished) {
            throw new IllegalStateException(
                    "the receiver of " + finished.descriptor() + " was superseded by a newer transfer");
        }
        receiver = null;
        return FileSnapshot.open(publishLocked(partial, finished.descriptor()));
    }

    /** Forgets {@code finished} if it is the active receiver. */
    synchronized void receiverFinished(FileSnapshotReceiver finished) {
        if (receiver == finished) {
            receiver = null;
        }
    }

    /** Keeps the newest {@code retain} snapshots that verify and deletes every file older than the last one kept. */
    private void applyRetention() throws IOException {
        int kept = 0;
        for (String name : publishedNewestFirst()) {
            final Path file = directory.resolve(name);
            if (kept == retain) {
                Files.deleteIfExists(file);
                verified.remove(name);
                LOG.log(Level.DEBUG, "deleted snapshot {0}: {1} newer valid snapshots are retained", file, retain);
                continue;
            }
            try (FileSnapshot ignored = openVerified(name)) {
                kept++;
            } catch (CorruptSnapshotException e) {
                LOG.log(Level.WARNING, "snapshot {0} does not count toward retention: {1}", file, e.getMessage());
            }
        }
    }

    private FileSnapshot openVerified(String name) throws IOException {
        final FileSnapshot snapshot = FileSnapshot.open(directory.resolve(name));
        if (!verified.contains(name)) {
            try {
                snapshot.verify();
            } catch (IOException | RuntimeException e) {
                snapshot.close();
                throw e;
            }
            verified.add(name);
        }
        return snapshot;
    }

    private List<String> publishedNewestFirst() throws IOException {
        return list(directory, SnapshotFileNames::isPublished).stream()
                .map(path -> path.getFileName().toString())
                .sorted(Comparator.reverseOrder())
                .collect(Collectors.toList());
    }

    private static List<Path> list(Path directory, java.util.function.Predicate<String> nameFilter) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(path -> nameFilter.test(path.getFileName().toString()))
                    .collect(Collectors.toList());
        }
    }

    private void forceDirectory() throws IOException {
        try (FileChannel handle = FileChannel.open(directory, StandardOpenOption.READ)) {
            handle.force(true);
        }
    }
}
