package dev.spool.journal.internal;

import dev.spool.api.spi.journal.StorageExhaustedException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Prepares segment files off the appending threads, and disposes of released segments there too: one small daemon
 * thread, owned by the service and shared by all its journals.
 *
 * <p>A journal's next segment is a file of one of its compacted segments when one waits in its
 * {@link SegmentRecycler} (already allocated, mapped and faulted in); for a {@code SYNC} journal the preparer forces
 * the file's data and the directory first, so the file's allocation and its name outside the journal are durable
 * before it is reused. Otherwise a new file is prepared: written out whole with zeros through the file system (so a
 * full disk is reported here, as a {@link StorageExhaustedException}, and never as a SIGBUS inside a mapping),
 * forced for {@code SYNC} journals (so its allocation is durable before records are), mapped, and touched on every
 * page so that the appending thread takes no page fault. Unmapping a released segment (a {@code munmap} of the whole
 * segment) and deleting or keeping its file happen on this thread as well.
 */
public final class SegmentPreparer implements AutoCloseable {
    private static final int PAGE = 4096;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20).asReadOnlyBuffer();

    private final ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "spool-journal-segment-preparer");
        thread.setDaemon(true);
        return thread;
    });
    private final FreeSpaceProbe probe;
    private final long floorBytes;
    private final DirectorySync directorySync;
    private final FileCreator fileCreator;

    /**
     * Creates the preparer and its thread.
     *
     * @param probe where free space is measured
     * @param floorBytes the free space that must remain
     * @param directorySync forces directories
     * @param fileCreator creates new segment files
     */
    public SegmentPreparer(
            FreeSpaceProbe probe, long floorBytes, DirectorySync directorySync, FileCreator fileCreator) {
        this.probe = probe;
        this.floorBytes = floorBytes;
        this.directorySync = directorySync;
        this.fileCreator = fileCreator;
    }

    /**
     * A file ready to become a segment: fully allocated and mapped, with an empty offset index to go with it.
     *
     * @param highestIndex the highest record index the file may still contain (0 for a new, zeroed file)
     */
    record Prepared(Path file, MappedByteBuffer map, SegmentIndex index, long highestIndex) {
        /** Whether the file may become the segment starting at {@code firstIndex}: all its old records are below. */
        boolean reusableAt(long firstIndex) {
            return highestIndex < firstIndex;
        }

        /** Unmaps and deletes a prepared file that will not be used. */
        void discard() throws IOException {
            Unmapper.unmap(map);
            index.free();
            Files.deleteIfExists(file);
        }
    }

    /**
     * Prepares the next segment of a journal on the preparer thread: a file from {@code recycler} if one waits,
     * else a new {@code file} of {@code size} bytes.
     *
     * @param force whether the journal is {@code SYNC}: the file's allocation must be durable
     */
    Future<Prepared> prepareAsync(SegmentRecycler recycler, Path file, int size, boolean force) {
        return executor.submit(() -> {
            Prepared recycled = recycler.poll();
            if (recycled == null) {
                return prepare(file, size, force);
            }
            if (force) {
                makeDurable(recycled.file());
            }
            return recycled;
        });
    }

    /** Runs {@code task} on the preparer thread; on the caller's once the service is closed. */
    void execute(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    /** Runs {@code task} on the preparer thread, after every task asked for before, and waits for it. */
    void awaitTask(Runnable task) throws IOException {
        try {
            executor.submit(task).get();
        } catch (RejectedExecutionException e) {
            task.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the segment preparer");
        } catch (ExecutionException e) {
            throw new IOException("segment preparer task failed", e.getCause());
        }
    }

    /**
     * Forces a recycled file's data (normally all clean already) and its directory, so that its allocation and its
     * name outside the journal survive a power loss before it gets a segment's name and header.
     */
    private void makeDurable(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.force(false);
        }
        directorySync.force(file.getParent());
    }

    /** Returns the usable bytes of {@code directory}'s file system above the floor (negative below it). */
    long spaceAboveFloor(Path directory) throws IOException {
        return probe.usableBytes(directory) - floorBytes;
    }

    /**
     * Refuses with {@link StorageExhaustedException} if the free space of {@code directory} is below the floor
     * plus {@code extraBytes}.
     */
    void checkFloor(Path directory, long extraBytes) throws IOException {
        long usable = probe.usableBytes(directory);
        if (usable - extraBytes < floorBytes) {
            // Name the size that did not fit: "usable above the floor" alone reads as no error when a segment is
            // larger.
            throw new StorageExhaustedException(
                    directory, usable, floorBytes, "a segment file of " + extraBytes + " bytes does not fit");
        }
    }

    /**
     * Prepares {@code file} of {@code size} bytes on the calling thread, forcing it if {@code force}; replaces any
     * file of that name.
     */
    Prepared prepare(Path file, int size, boolean force) throws IOException {
        Path directory = file.getParent();
        checkFloor(directory, size);
        Files.deleteIfExists(file);
        try (FileChannel channel = create(file, directory)) {
            allocate(channel, size, directory);
            if (force) {
                channel.force(true);
            }
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
            for (int offset = 0; offset < size; offset += PAGE) {
                map.put(offset, (byte) 0);
            }
            return new Prepared(file, map, new SegmentIndex(), 0);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** Creates {@code file}; a file system out of inodes or over a quota refuses as a full disk does. */
    private FileChannel create(Path file, Path directory) throws IOException {
        try {
            return fileCreator.create(file);
        } catch (FileSystemException e) {
            if (!isExhaustion(e)) {
                throw e;
            }
            StorageExhaustedException exhausted = new StorageExhaustedException(
                    directory,
                    probe.usableBytes(directory),
                    floorBytes,
                    "cannot create " + file.getFileName() + ": " + e.getReason());
            exhausted.initCause(e);
            throw exhausted;
        }
    }

    /** Whether the file system refused for want of space, inodes or quota (ENOSPC, EDQUOT), as the JDK words it. */
    private static boolean isExhaustion(FileSystemException e) {
        String reason = e.getReason();
        return reason != null && (reason.contains("No space left on device") || reason.contains("Disk quota exceeded"));
    }

    private void allocate(FileChannel channel, int size, Path directory) throws IOException {
        ByteBuffer zeros = ZEROS.duplicate();
        try {
            long position = 0;
            while (position < size) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), size - position));
                position += channel.write(zeros, position);
            }
        } catch (IOException e) {
            StorageExhaustedException exhausted =
                    new StorageExhaustedException(directory, probe.usableBytes(directory), floorBytes);
            exhausted.initCause(e);
            throw exhausted;
        }
    }

    /** Stops the thread after the preparations already asked for. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
