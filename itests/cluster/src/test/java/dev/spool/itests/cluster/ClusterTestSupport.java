package dev.spool.itests.cluster;

import dev.spool.itests.cluster.harness.ClusterHarness;
import dev.spool.itests.cluster.harness.ControlClient;
import dev.spool.itests.cluster.harness.MemberProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What the cluster tests share: where members run from, where their files go, and waiting for a condition. */
final class ClusterTestSupport {

    /** The member ids of a three-member cluster. */
    static final List<String> THREE = List.of("m1", "m2", "m3");
    /** The JVM options of members whose leader must feed a follower far behind without holding it in memory. */
    static final List<String> SMALL_JVM = List.of("-Xmx48m", "-XX:MaxDirectMemorySize=32m");
    /** A published snapshot's file name; the first group is the index of its last entry. */
    static final Pattern SNAPSHOT_NAME = Pattern.compile("snapshot-(\\d{20})-(\\d{20})\\.snap");
    /** How long a member may take to start and serve. */
    static final Duration STARTUP = Duration.ofSeconds(60);

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

    /**
     * Starts every member in the {@link #SMALL_JVM}, so that whichever is elected leads in it, and waits for the
     * leader.
     *
     * @param cluster the cluster, none of its members running
     * @return the leader every member agrees on
     */
    static MemberProcess startInSmallJvms(ClusterHarness cluster) throws IOException, InterruptedException {
        cluster.members().forEach(member -> member.jvmOptions(SMALL_JVM));
        cluster.startAll(STARTUP);
        return cluster.awaitLeader(Duration.ofSeconds(30));
    }

    /**
     * Picks a follower.
     *
     * @param cluster the cluster
     * @param leader its leader
     * @return the first member, in the order of the ids, that is not the leader
     */
    static MemberProcess follower(ClusterHarness cluster, MemberProcess leader) {
        return cluster.members().stream().filter(member -> member != leader).findFirst().orElseThrow();
    }

    /**
     * Lists the published snapshots under a member's data directory.
     *
     * @param dataDirectory the member's data directory
     * @return the snapshot files, none if the member never stored one
     */
    static List<Path> snapshots(Path dataDirectory) throws IOException {
        final Path directory = dataDirectory.resolve("snapshots");
        if (!Files.exists(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(path -> SNAPSHOT_NAME.matcher(path.getFileName().toString()).matches()).toList();
        }
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
