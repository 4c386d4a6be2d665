package dev.spool.journal.internal;

import dev.spool.api.journal.StorageExhaustedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Prepares segment files off the appending threads: one small daemon thread, owned by the service and shared by
 * all its journals. Preparing a segment writes the whole file out with zeros through the file system (so a full
 * disk is reported here, as a {@link StorageExhaustedException}, and never as a SIGBUS inside a mapping), forces it
 * for journals that force at all ({@code SYNC}: so the file's allocation is durable before records are), maps it,
 * and touches every page so that the appending thread takes no page fault.
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

    /**
     * Creates the preparer and its thread.
     *
     * @param probe where free space is measured
     * @param floorBytes the free space that must remain
     */
    public SegmentPreparer(FreeSpaceProbe probe, long floorBytes) {
        this.probe = probe;
        this.floorBytes = floorBytes;
    }

    /** A prepared file: fully allocated, zeroed, mapped. */
    record Prepared(Path file, MappedByteBuffer map) {
        /** Unmaps and deletes a prepared file that will not be used. */
        void discard() throws IOException {
            Unmapper.unmap(map);
            Files.deleteIfExists(file);
        }
    }

    /** Prepares {@code file} of {@code size} bytes on the preparer thread. */
    Future<Prepared> prepareAsync(Path file, int size, boolean force) {
        return executor.submit(() -> prepare(file, size, force));
    }

    /**
     * Refuses with {@link StorageExhaustedException} if the free space of {@code directory} is below the floor
     * plus {@code extraBytes}.
     */
    void checkFloor(Path directory, long extraBytes) throws IOException {
        long usable = probe.usableBytes(directory);
        if (usable - extraBytes < floorBytes) {
            throw new StorageExhaustedException(directory, usable, floorBytes);
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
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            allocate(channel, size, directory);
            if (force) {
                channel.force(true);
            }
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
            for (int offset = 0; offset < size; offset += PAGE) {
                map.put(offset, (byte) 0);
            }
            return new Prepared(file, map);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
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
