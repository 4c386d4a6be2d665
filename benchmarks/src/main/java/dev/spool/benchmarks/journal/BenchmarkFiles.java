package dev.spool.benchmarks.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where benchmarks put their journal files. The root is the system property {@code spool.bench.dir} if set, otherwise
 * {@code bench-data} beside the benchmark jar (that is {@code benchmarks/target/bench-data}): never {@code /tmp},
 * which may be a tmpfs where nothing reaches a disk and files take memory.
 */
final class BenchmarkFiles {

    private BenchmarkFiles() {}

    /**
     * Creates a new empty directory for one trial.
     *
     * @param prefix what the directory holds, for whoever looks at the disk during a run
     * @return the directory
     * @throws IOException if it cannot be created
     */
    static Path freshDirectory(String prefix) throws IOException {
        Path root = root();
        Files.createDirectories(root);
        return Files.createTempDirectory(root, prefix + "-");
    }

    /**
     * Deletes a directory and everything below it.
     *
     * @param directory the directory, may be {@code null} (a setup that failed early)
     * @throws IOException if something cannot be deleted
     */
    static void delete(Path directory) throws IOException {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(directory)) {
            tree.sorted(Comparator.reverseOrder()).forEach(BenchmarkFiles::deleteOne);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void deleteOne(Path path) {
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path root() {
        String configured = System.getProperty("spool.bench.dir");
        if (configured != null) {
            return Path.of(configured);
        }
        try {
            Path codeSource = Path.of(BenchmarkFiles.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            return codeSource.getParent().resolve("bench-data");
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the benchmark jar; set -Dspool.bench.dir", e);
        }
    }
}
