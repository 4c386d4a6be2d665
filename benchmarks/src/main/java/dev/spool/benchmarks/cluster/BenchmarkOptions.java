package dev.spool.benchmarks.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The cluster benchmark's command line.
 *
 * @param durabilities the journal durabilities to measure
 * @param transports {@code plaintext} and/or {@code tls}
 * @param inFlight the numbers of proposals kept in flight
 * @param payloadBytes each proposal's payload size
 * @param seconds how long each case runs
 * @param warmupSeconds how long the load runs before the first case of a cluster
 * @param workDirectory where the members' data, logs and key stores go
 * @param memberJvmOptions the members' JVM options
 * @param memberArgs further member options (see the cluster tests' {@code MemberOptions})
 */
record BenchmarkOptions(
        List<String> durabilities,
        List<String> transports,
        List<Integer> inFlight,
        int payloadBytes,
        int seconds,
        int warmupSeconds,
        Path workDirectory,
        List<String> memberJvmOptions,
        List<String> memberArgs) {

    static final String USAGE = String.join(
            "\n",
            "usage: ClusterBenchmark [options]",
            "  --durability NONE,SYNC       journal durabilities (default NONE,SYNC)",
            "  --transport plaintext,tls    transports (default plaintext,tls)",
            "  --inflight 1,64,256          proposals kept in flight (default 1,64,256)",
            "  --size BYTES                 payload size (default 1024)",
            "  --seconds N                  seconds per case (default 10)",
            "  --warmup N                   warm-up seconds per cluster (default 5)",
            "  --work DIR                   work directory (default target/cluster-benchmark)",
            "  --member-jvm OPTION          a JVM option of every member (repeatable; default -Xmx512m)",
            "  --member-arg ARG             a member option (repeatable), such as --member-arg --raft-threads"
                    + " --member-arg 2");

    static BenchmarkOptions parse(String... args) {
        List<String> durabilities = List.of("NONE", "SYNC");
        List<String> transports = List.of("plaintext", "tls");
        List<Integer> inFlight = List.of(1, 64, 256);
        int size = 1024;
        int seconds = 10;
        int warmup = 5;
        Path work = Path.of("target", "cluster-benchmark");
        final List<String> jvm = new ArrayList<>();
        final List<String> memberArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + args[i] + " has no value");
            }
            final String value = args[i + 1];
            switch (args[i]) {
                case "--durability" -> durabilities = oneOf(args[i], value, "NONE", "SYNC");
                case "--transport" -> transports = oneOf(args[i], value, "plaintext", "tls");
                case "--inflight" ->
                    inFlight = Arrays.stream(value.split(","))
                            .map(v -> positive("--inflight", v))
                            .toList();
                case "--size" -> size = positive(args[i], value);
                case "--seconds" -> seconds = positive(args[i], value);
                case "--warmup" -> warmup = positive(args[i], value);
                case "--work" -> work = Path.of(value);
                case "--member-jvm" -> jvm.add(value);
                case "--member-arg" -> memberArgs.add(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        return new BenchmarkOptions(
                durabilities,
                transports,
                inFlight,
                size,
                seconds,
                warmup,
                work,
                jvm.isEmpty() ? List.of("-Xmx512m") : List.copyOf(jvm),
                List.copyOf(memberArgs));
    }

    private static List<String> oneOf(String option, String value, String... allowed) {
        final List<String> values = List.of(value.split(","));
        for (String v : values) {
            if (!Arrays.asList(allowed).contains(v)) {
                throw new IllegalArgumentException(option + ": " + v + " is not one of " + Arrays.toString(allowed));
            }
        }
        return values;
    }

    private static int positive(String option, String value) {
        try {
            final int parsed = Integer.parseInt(value.trim());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // Reported below with the option's name.
        }
        throw new IllegalArgumentException(option + ": " + value + " is not a positive number");
    }
}
