package dev.spool.journal.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Creates the files that become segments; tests replace it with a file system that refuses (no space, no inode). */
@FunctionalInterface
public interface FileCreator {

    /**
     * Returns the file system's creation of a new file.
     *
     * @return the file creator
     */
    static FileCreator fileSystem() {
        return file -> FileChannel.open(
                file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /**
     * Creates {@code file}, which must not exist, and opens it for reading and writing.
     *
     * @param file the new file
     * @return its channel
     * @throws IOException if the file exists or cannot be created
     */
    FileChannel create(Path file) throws IOException;
}
