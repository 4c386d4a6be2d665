package dev.spool.journal.internal;

import dev.spool.api.spi.journal.JournalLockedException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive lock on a file, against this JVM and every other process, held with the open channel of that
 * file. Within the JVM the lock is claimed in a registry before the file is even opened: on POSIX systems
 * closing any descriptor of a file drops every lock the process holds on it, so a refused second opener must
 * never open (and then close) a channel of a file that is locked.
 */
final class FileLockHolder implements AutoCloseable {
    private static final Set<Path> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private FileLockHolder(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Opens (creating it if needed) and locks {@code file}.
     *
     * @throws JournalLockedException if this JVM or another process holds the lock
     */
    static FileLockHolder lock(Path file) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        if (!HELD_IN_THIS_JVM.add(key)) {
            throw new JournalLockedException(file);
        }
        try {
            FileChannel channel =
                    FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    throw new JournalLockedException(file);
                }
                return new FileLockHolder(key, channel, lock);
            } catch (OverlappingFileLockException e) {
                channel.close();
                throw new JournalLockedException(file);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            HELD_IN_THIS_JVM.remove(key);
            throw e;
        }
    }

    /** The locked file's channel, for reading and writing it. */
    FileChannel channel() {
        return channel;
    }

    /** Releases the lock and closes the channel. */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            try {
                channel.close();
            } finally {
                HELD_IN_THIS_JVM.remove(file);
            }
        }
    }
}
