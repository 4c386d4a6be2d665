package dev.spool.journal.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tells how many bytes a directory's file system can still give to this process; replaceable in tests. */
@FunctionalInterface
public interface FreeSpaceProbe {

    /** The real file system. */
    FreeSpaceProbe FILE_STORE = directory -> Files.getFileStore(directory).getUsableSpace();

    /**
     * Returns the usable bytes of the file system holding {@code directory}.
     *
     * @param directory an existing directory
     * @return usable bytes
     * @throws IOException if the file system cannot be queried
     */
    long usableBytes(Path directory) throws IOException;
}
