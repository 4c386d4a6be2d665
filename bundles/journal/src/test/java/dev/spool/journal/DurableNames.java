package dev.spool.journal;

import dev.spool.journal.internal.DirectorySync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A directory force that remembers which names each directory held when it was last forced: after a power cut, those
 * are the names a directory has (ignoring what the file system wrote back on its own). The names are listed before the
 * force, so a name created concurrently is never counted durable.
 */
final class DurableNames implements DirectorySync {
    private final Map<Path, Set<String>> durable = new ConcurrentHashMap<>();

    @Override
    public void force(Path directory) throws IOException {
        Set<String> names;
        try (Stream<Path> files = Files.list(directory)) {
            names = files.map(file -> file.getFileName().toString()).collect(Collectors.toUnmodifiableSet());
        }
        DirectorySync.fileSystem().force(directory);
        durable.put(directory.toAbsolutePath(), names);
    }

    /** The names {@code directory} held at its last force; empty if it was never forced. */
    Set<String> in(Path directory) {
        return durable.getOrDefault(directory.toAbsolutePath(), Set.of());
    }

    /** Whether {@code directory} was forced since the last {@link #forget()}. */
    boolean forced(Path directory) {
        return durable.containsKey(directory.toAbsolutePath());
    }

    /** Forgets every force seen so far. */
    void forget() {
        durable.clear();
    }
}
