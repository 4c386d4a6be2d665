package dev.spool.journal.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Forces a directory, so that the names created, renamed or deleted in it survive a power loss: a file's data being
 * on disk does not make its name durable. Every directory force of the journal goes through one instance, which tests
 * replace to see which names were durable when.
 */
@FunctionalInterface
public interface DirectorySync {

    /**
     * Returns the file system's directory force: an {@code fsync} of the directory.
     *
     * @return the directory force
     */
    static DirectorySync fileSystem() {
        return directory -> {
            try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
                channel.force(true);
            }
        };
    }

    /**
     * Forces {@code directory}: every name change made in it so far is durable when this returns.
     *
     * @param directory an existing directory
     * @throws IOException if the directory cannot be forced
     */
    void force(Path directory) throws IOException;

    /**
     * Creates {@code directory} and its missing parents, and forces the parent of each one it created, so that the new
     * names are durable when this returns.
     *
     * @param directory the directory
     * @throws IOException if a directory cannot be created or forced
     */
    default void createDirectories(Path directory) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path at = directory.toAbsolutePath(); at != null && !Files.isDirectory(at); at = at.getParent()) {
            missing.push(at);
        }
        Files.createDirectories(directory);
        for (Path created : missing) { // from the outermost in
            force(created.getParent());
        }
    }
}
