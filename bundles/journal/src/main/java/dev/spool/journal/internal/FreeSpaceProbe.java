package dev.spool.journal.internal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Tells how many bytes a directory's file system can still give to this process; replaceable in tests. */
@FunctionalInterface
public interface FreeSpaceProbe {

    /**
     * Returns a probe of the real file systems that looks each directory's file store up once: a lookup reads the
     * mount table, which is too slow and allocates too much to repeat at every segment roll.
     *
     * @return a new probe
     */
    static FreeSpaceProbe fileStores() {
        Map<Path, FileStore> stores = new ConcurrentHashMap<>();
        return directory -> {
            FileStore store = stores.get(directory);
            if (store == null) {
                store = Files.getFileStore(directory);
                stores.put(directory, store);
            }
            return store.getUsableSpace();
        };
    }

    /**
     * Returns the usable bytes of the file system holding {@code directory}.
     *
     * @param directory an existing directory
     * @return usable bytes
     * @throws IOException if the file system cannot be queried
     */
    long usableBytes(Path directory) throws IOException;
}
