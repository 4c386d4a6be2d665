package dev.spool.benchmarks.cluster;

import dev.spool.itests.cluster.harness.ClusterHarness;
import dev.spool.itests.cluster.harness.MemberProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The cluster benchmark: members in separate JVMs on loopback, a load generator in the leader's process keeping 1,
 * 64 and 256 proposals in flight, for each durability and transport. Each case reports committed entries per second,
 * the latency from proposal to applied (p50, p99, p99.9), and the bytes allocated per committed entry by the Raft
 * threads, the transport's threads and the whole process of the leader and of the busiest follower. The baseline
 * measured in the same run is one member alone with the same durability: the ratio column says what replication
 * to two followers over the network costs.
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.spool.benchmarks.cluster.ClusterBenchmark [options]
 * </pre>
 *
 * Options are described by {@link BenchmarkOptions#USAGE}.
 */
public final class ClusterBenchmark {

    private static final List<String> THREE = List.of("m1", "m2", "m3");
    private static final List<String> ALONE = List.of("m1");
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final BenchmarkOptions options;
    private final String classpath = System.getProperty("java.class.path");
    private final Map<String, Double> aloneRates = new HashMap<>();

    private ClusterBenchmark(BenchmarkOptions options) {
        this.options = options;
    }

    /**
     * Runs the benchmark and prints its table on standard output.
     *
     * @param args the options, see {@link BenchmarkOptions#USAGE}
     */
    public static void main(String[] args) throws Exception {
        final BenchmarkOptions options;
        try {
            options = BenchmarkOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(BenchmarkOptions.USAGE);
            System.exit(2);
            return;
        }
        new ClusterBenchmark(options).run();
    }

    private void run() throws Exception {
        System.out.println(LoadResult.HEADER);
        for (String durability : options.durabilities()) {
            measure(durability, "plaintext", ALONE);
            for (String transport : options.transports()) {
                measure(durability, transport, THREE);
            }
        }
    }

    private void measure(String durability, String transport, List<String> ids) throws Exception {
        final Path work = options.workDirectory().resolve(ids.size() + "-" + durability + "-" + transport);
        deleteRecursively(work);
        final List<String> common = new ArrayList<>(List.of("--durability", durability));
        common.addAll(options.memberArgs());
        try (ClusterHarness cluster = new ClusterHarness(work, classpath, ids, common)) {
            final MemberCertificates certificates =
                    "tls".equals(transport) ? MemberCertificates.create(work.resolve("tls"), ids) : null;
            for (MemberProcess member : cluster.members()) {
                member.jvmOptions(options.memberJvmOptions());
                if (certificates != null) {
                    member.memberOptions(certificates.memberOptions(member.id()));
                }
            }
            cluster.startAll(STARTUP);
            final MemberProcess leader = cluster.awaitLeader(Duration.ofSeconds(60));
            long first = 0;
            leader.control()
                    .load(query(options.inFlight().get(options.inFlight().size() - 1), first, options.warmupSeconds()));
            first = 1L << 40;
            for (int inFlight : options.inFlight()) {
                final List<MemberProcess> followers =
                        cluster.members().stream().filter(m -> m != leader).toList();
                final List<Map<String, String>> before = allocations(followers);
                final Map<String, String> load = leader.control().load(query(inFlight, first, options.seconds()));
                final List<Map<String, String>> after = allocations(followers);
                first += 1L << 36;
                final LoadResult result = LoadResult.of(
                        ids.size(), durability, transport, inFlight, load, busiestFollower(before, after));
                final String baselineKey = durability + "/" + inFlight;
                if (ids.size() == 1) {
                    aloneRates.put(baselineKey, result.entriesPerSecond());
                }
                System.out.println(result.row(aloneRates.getOrDefault(baselineKey, Double.NaN)));
            }
        }
    }

    private String query(int inFlight, long first, int seconds) {
        return "inflight=" + inFlight + "&size=" + options.payloadBytes() + "&seconds=" + seconds + "&first=" + first;
    }

    private static List<Map<String, String>> allocations(List<MemberProcess> followers) throws IOException {
        final List<Map<String, String>> counters = new ArrayList<>();
        for (MemberProcess follower : followers) {
            counters.add(follower.control().allocated());
        }
        return counters;
    }

    /** The follower that allocated the most per applied entry between two readings, or none without followers. */
    private static FollowerAllocation busiestFollower(
            List<Map<String, String>> before, List<Map<String, String>> after) {
        FollowerAllocation busiest = FollowerAllocation.NONE;
        for (int i = 0; i < before.size(); i++) {
            final FollowerAllocation follower = FollowerAllocation.between(before.get(i), after.get(i));
            if (follower.processBytesPerEntry() > busiest.processBytesPerEntry()) {
                busiest = follower;
            }
        }
        return busiest;
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Allocation on one follower per entry it applied, from its counters before and after a load. */
    record FollowerAllocation(double raftBytesPerEntry, double transportBytesPerEntry, double processBytesPerEntry) {

        static final FollowerAllocation NONE = new FollowerAllocation(Double.NaN, Double.NaN, -1);

        static FollowerAllocation between(Map<String, String> before, Map<String, String> after) {
            final double applied = delta(before, after, "applied");
            return new FollowerAllocation(
                    delta(before, after, "raftBytes") / applied,
                    delta(before, after, "transportBytes") / applied,
                    delta(before, after, "processBytes") / applied);
        }

        private static double delta(Map<String, String> before, Map<String, String> after, String key) {
            return Long.parseLong(after.get(key)) - Long.parseLong(before.get(key));
        }
    }
}
