package dev.spool.benchmarks.cluster;

import dev.spool.benchmarks.cluster.ClusterBenchmark.FollowerAllocation;
import java.util.Locale;
import java.util.Map;

/**
 * One measured case of the cluster benchmark, printed as a Markdown table row.
 *
 * @param members the members in the group
 * @param durability the journals' durability
 * @param transport {@code plaintext} or {@code tls}
 * @param inFlight the proposals kept in flight
 * @param entriesPerSecond committed entries per second
 * @param p50Micros the median latency from proposal to applied, in microseconds
 * @param p99Micros the 99th percentile
 * @param p999Micros the 99.9th percentile
 * @param leaderRaftBytes bytes the leader's Raft threads allocated per entry
 * @param leaderTransportBytes bytes the leader's transport threads allocated per entry
 * @param leaderProcessBytes bytes the leader's process allocated per entry (the load generator included)
 * @param follower the busiest follower's allocation per entry
 */
record LoadResult(
        int members,
        String durability,
        String transport,
        int inFlight,
        double entriesPerSecond,
        double p50Micros,
        double p99Micros,
        double p999Micros,
        double leaderRaftBytes,
        double leaderTransportBytes,
        double leaderProcessBytes,
        FollowerAllocation follower) {

    /** The table's header. */
    static final String HEADER = String.join(
            "\n",
            "| members | durability | transport | in flight | entries/s | ÷ 1 member | p50 ms | p99 ms | p99.9 ms"
                    + " | leader B/entry: Raft / transport / process | follower B/entry: Raft / transport / process |",
            "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");

    static LoadResult of(
            int members,
            String durability,
            String transport,
            int inFlight,
            Map<String, String> load,
            FollowerAllocation follower) {
        final long failed = Long.parseLong(load.get("failed"));
        if (failed > 0) {
            throw new IllegalStateException(failed + " proposals failed in " + members + " members " + durability + " "
                    + transport + " " + inFlight + " in flight: " + load);
        }
        return new LoadResult(
                members,
                durability,
                transport,
                inFlight,
                Double.parseDouble(load.get("entriesPerSecond")),
                Double.parseDouble(load.get("p50Micros")),
                Double.parseDouble(load.get("p99Micros")),
                Double.parseDouble(load.get("p999Micros")),
                Double.parseDouble(load.get("raftBytesPerEntry")),
                Double.parseDouble(load.get("transportBytesPerEntry")),
                Double.parseDouble(load.get("processBytesPerEntry")),
                follower);
    }

    String row(double aloneEntriesPerSecond) {
        return String.format(
                Locale.ROOT,
                "| %d | %s | %s | %d | %,.0f | %.2f× | %.2f | %.2f | %.2f | %.1f / %.1f / %.1f" + " | %s |",
                members,
                durability,
                transport,
                inFlight,
                entriesPerSecond,
                entriesPerSecond / aloneEntriesPerSecond,
                p50Micros / 1000.0,
                p99Micros / 1000.0,
                p999Micros / 1000.0,
                leaderRaftBytes,
                leaderTransportBytes,
                leaderProcessBytes,
                followerColumn());
    }

    private String followerColumn() {
        return members == 1
                ? "—"
                : String.format(
                        Locale.ROOT,
                        "%.1f / %.1f / %.1f",
                        follower.raftBytesPerEntry(),
                        follower.transportBytesPerEntry(),
                        follower.processBytesPerEntry());
    }
}
