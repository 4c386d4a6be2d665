package dev.spool.snapshot;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Opens the channels snapshot files are written through; tests replace it with a file system that fills up. */
@FunctionalInterface
interface WriteChannelOpener {

    /** The file system's own channels. */
    WriteChannelOpener FILE_SYSTEM =
            file -> FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);

    /**
     * Opens {@code file} for writing, creating it if it does not exist.
     *
     * @param file the file
     * @return its channel
     * @throws IOException if it cannot be opened
     */
    FileChannel open(Path file) throws IOException;
}
