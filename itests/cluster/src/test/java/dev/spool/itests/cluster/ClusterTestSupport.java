package dev.spool.itests.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.itests.cluster.harness.ClusterHarness;
import dev.spool.itests.cluster.harness.ControlClient;
import dev.spool.itests.cluster.harness.MemberProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
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
    /** The password of the TLS stores {@link #tlsOptions} makes. */
    static final String TLS_PASSWORD = "spool-test-secret";
    /** How long a member may take to start and serve. */
    static final Duration STARTUP = Duration.ofSeconds(60);

    private ClusterTestSupport() {}

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
     * Returns an empty work directory for one test under the build directory. If the test class runs with
     * {@link DiscardPassedData}, what the test stores there is deleted once it passes.
     *
     * @param name the test's name
     * @return the directory, emptied of an earlier run's files
     */
    static Path workDirectory(String name) throws IOException {
        final Path directory = Path.of(System.getProperty("spool.cluster.workdir", "target/cluster"))
                .resolve(name);
        if (Files.exists(directory)) {
            try (Stream<Path> old = Files.walk(directory)) {
                for (Path path : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        DiscardPassedData.handedOut(directory);
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
        return cluster.members().stream()
                .filter(member -> member != leader)
                .findFirst()
                .orElseThrow();
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
            return files.filter(path ->
                            SNAPSHOT_NAME.matcher(path.getFileName().toString()).matches())
                    .toList();
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
        throw new AssertionError(
                "gave up after " + timeout + " waiting for " + what + (last == null ? "" : "; last error: " + last));
    }

    /**
     * Waits until a member applied the reference history, then checks that it applied it: the same count and
     * history checksum, every acknowledged entry, no entry twice, and that its group is available.
     *
     * @param member the member
     * @param reference a linearizable read on the leader ({@code readIndex, count, checksum, lastIndex})
     * @param acknowledged what was acknowledged to the test
     * @param timeout how long the member may take to apply the reference history
     */
    static void assertHolds(
            MemberProcess member, Map<String, String> reference, AcknowledgedSequences acknowledged, Duration timeout)
            throws Exception {
        final String expected = "applied=" + reference.get("readIndex") + " count=" + reference.get("count")
                + " checksum=" + reference.get("checksum");
        // Available too: a member that installed a snapshot restarts its group, unavailable for a moment.
        final AtomicReference<Map<String, String>> seen = new AtomicReference<>();
        try {
            await(timeout, member.id() + " applying " + expected + " and available", () -> {
                final Map<String, String> status = member.control().status();
                seen.set(status);
                return Long.parseLong(status.get("lastIndex")) >= Long.parseLong(reference.get("lastIndex"))
                        && !"UNAVAILABLE".equals(status.get("role"));
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; its last status: " + seen.get(), e);
        }
        final ControlClient control = member.control();
        final Map<String, String> status = control.status();
        assertEquals(reference.get("count"), status.get("count"), member.id() + ": " + appliedState(control));
        assertEquals(
                reference.get("checksum"),
                status.get("checksum"),
                member.id() + " applied another history: " + status + ", the leader's read: " + reference);
        final BitSet applied = new BitSet();
        for (long[] range : control.appliedRanges()) {
            applied.set(Math.toIntExact(range[0]), Math.toIntExact(range[1]) + 1);
        }
        assertEquals(
                Long.parseLong(status.get("count")), applied.cardinality(), member.id() + " applied an entry twice");
        final BitSet lost = acknowledged.missingFrom(applied);
        assertTrue(
                lost.isEmpty(),
                member.id() + " lacks " + lost.cardinality() + " acknowledged entries, first " + lost.nextSetBit(0));
    }

    /**
     * Waits until every member applied the same history: the same applied index, count and history checksum.
     * Proposals that failed as {@code OutcomeUnknownException} may still commit after their clients gave up, so a
     * test that made some takes its reference only once the members agree.
     *
     * @param cluster the cluster, every member running
     * @param timeout how long to wait
     * @throws AssertionError naming each member's state if they do not agree in time
     */
    static void awaitSameHistory(ClusterHarness cluster, Duration timeout) throws InterruptedException {
        awaitSameHistory(cluster.members(), timeout);
    }

    /** Waits until {@code members}, each running, applied the same history; see the other form. */
    static void awaitSameHistory(List<MemberProcess> members, Duration timeout) throws InterruptedException {
        final AtomicReference<Map<String, String>> seen = new AtomicReference<>();
        try {
            await(timeout, "every member applying the same history", () -> {
                final Map<String, String> states = new LinkedHashMap<>();
                for (MemberProcess member : members) {
                    states.put(member.id(), appliedState(member.control()));
                }
                seen.set(states);
                return states.values().stream().distinct().count() == 1;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last seen: " + seen.get(), e);
        }
    }

    /**
     * Makes mutual-TLS stores for members with the JDK's {@code keytool}, as {@code docs/wire-protocol.md} tells
     * users to: a PKCS12 key store per member with a self-signed certificate whose CN is the member id, and one
     * trust store holding every member's certificate.
     *
     * @param directory where the stores go
     * @param ids the members
     * @return each member's command-line options for them
     */
    static Map<String, List<String>> tlsOptions(Path directory, List<String> ids) throws Exception {
        Files.createDirectories(directory);
        final Path trustStore = directory.resolve("trust.p12");
        final Map<String, List<String>> options = new LinkedHashMap<>();
        for (String id : ids) {
            final Path keyStore = directory.resolve(id + ".p12");
            final Path certificate = directory.resolve(id + ".crt");
            keytool(
                    "-genkeypair",
                    "-alias",
                    id,
                    "-keyalg",
                    "EC",
                    "-groupname",
                    "secp256r1",
                    "-dname",
                    "CN=" + id,
                    "-validity",
                    "2",
                    "-keystore",
                    keyStore.toString(),
                    "-storetype",
                    "PKCS12",
                    "-storepass",
                    TLS_PASSWORD,
                    "-keypass",
                    TLS_PASSWORD);
            keytool(
                    "-exportcert",
                    "-rfc",
                    "-alias",
                    id,
                    "-keystore",
                    keyStore.toString(),
                    "-storetype",
                    "PKCS12",
                    "-storepass",
                    TLS_PASSWORD,
                    "-file",
                    certificate.toString());
            keytool(
                    "-importcert",
                    "-noprompt",
                    "-alias",
                    id,
                    "-file",
                    certificate.toString(),
                    "-keystore",
                    trustStore.toString(),
                    "-storetype",
                    "PKCS12",
                    "-storepass",
                    TLS_PASSWORD);
            options.put(
                    id,
                    List.of(
                            "--tls-keystore",
                            keyStore.toString(),
                            "--tls-truststore",
                            trustStore.toString(),
                            "--tls-password",
                            TLS_PASSWORD));
        }
        return options;
    }

    private static void keytool(String... arguments) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-J-XX:TieredStopAtLevel=1"));
        command.addAll(List.of(arguments));
        final Process process =
                new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + command + "\n" + output);
        }
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
