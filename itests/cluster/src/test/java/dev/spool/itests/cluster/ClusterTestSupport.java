package dev.spool.itests.cluster;

import dev.spool.itests.cluster.harness.ControlClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What the cluster tests share: where members run from, where their files go, and waiting for a condition. */
final class ClusterTestSupport {

    /** The member ids of a three-member cluster. */
    static final List<String> THREE = List.of("m1", "m2", "m3");

    private ClusterTestSupport() {
    }

    /** @return whether the long test tier runs ({@code -Plong}) */
    static boolean longTier() {
        return "long".equals(System.getProperty("spool.test.tier"));
    }

    /** @return the members' classpath, which the build passes to the tests */
    static String memberClasspath() {
        final String classpath = System.getProperty("spool.cluster.classpath");
        if (classpath == null || classpath.contains("${")) {
            throw new IllegalStateException("system property spool.cluster.classpath is not set: run the cluster"
                + " tests through Maven (failsafe), which builds it");
        }
        return classpath;
    }

    /**
     * Returns an empty work directory for one test under the build directory.
     *
     * @param name the test's name
     * @return the directory, emptied of an earlier run's files
     */
    static Path workDirectory(String name) throws IOException {
        final Path directory = Path.of(System.getProperty("spool.cluster.workdir", "target/cluster")).resolve(name);
        if (Files.exists(directory)) {
            try (Stream<Path> old = Files.walk(directory)) {
                for (Path path : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        return Files.createDirectories(directory);
    }

    /** A condition checked against members, which may fail to answer while they start or die. */
    @FunctionalInterface
    interface Condition {
        boolean holds() throws IOException;
    }

    /**
     * Waits until a condition holds.
     *
     * @param timeout how long to wait
     * @param what what is waited for, for the failure message
     * @param condition the condition; an {@link IOException} counts as "not yet"
     * @throws AssertionError if it does not hold in time
     */
    static void await(Duration timeout, String what, Condition condition) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("gave up after " + timeout + " waiting for " + what
            + (last == null ? "" : "; last error: " + last));
    }

    /**
     * Reads the status values that say which history a member applied.
     *
     * @param control the member's control client
     * @return applied index, count and checksum
     */
    static String appliedState(ControlClient control) throws IOException {
        final Map<String, String> status = control.status();
        return "applied=" + status.get("applied") + " count=" + status.get("count") + " checksum="
            + status.get("checksum");
    }
}
