package dev.spool.itests.cluster.member;

import dev.spool.api.group.Durability;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The command line of a member process, checked: every option is {@code --name value} (flags have no value), and a
 * wrong or missing value is refused with a message naming the option.
 *
 * @param id this member's id
 * @param dataDirectory where the journal and the snapshots live (kept across restarts)
 * @param listen where peers connect to this member
 * @param peers the other members and where they listen
 * @param controlPort the loopback port of the control endpoint, 0 for any free one
 * @param cluster the cluster's name, checked in the peers' handshake
 * @param group the Raft group's name
 * @param durability the journal's durability
 * @param segmentSize the journal's segment size in bytes
 * @param maxEntrySize the largest payload in bytes
 * @param slots the group's entry slots (a power of two)
 * @param snapshotInterval applied entries between snapshots
 * @param keptBehindSnapshot entries kept in the journal behind a snapshot
 * @param snapshotBallast bytes of checked filler each snapshot of the state machine carries (see
 *     {@link SequenceMachine})
 * @param tickMillis the Raft tick
 * @param electionTicks the election timeout in ticks
 * @param heartbeatTicks the heartbeat interval in ticks
 * @param raftThreads the member's agent threads
 * @param ioThreads the transport's event-loop threads
 * @param maxBackoffMillis the longest wait between reconnection attempts
 * @param idleTimeoutMillis how long a peer connection may receive nothing before it is closed
 * @param tlsKeyStore this member's PKCS12 key store for mutual TLS, or {@code null} for plaintext
 * @param tlsTrustStore the PKCS12 trust store, with {@code tlsKeyStore}
 * @param tlsPassword the password of both stores
 * @param exitOnStdinEof whether the process exits when its standard input ends (its launcher died)
 * @param join whether the member joins the running group its peers form (they are its members, it is not): it
 *     writes no first entry and waits for a membership change to add it
 */
public record MemberOptions(
        String id,
        Path dataDirectory,
        InetSocketAddress listen,
        Map<String, InetSocketAddress> peers,
        int controlPort,
        String cluster,
        String group,
        Durability durability,
        int segmentSize,
        int maxEntrySize,
        int slots,
        long snapshotInterval,
        long keptBehindSnapshot,
        long snapshotBallast,
        int tickMillis,
        int electionTicks,
        int heartbeatTicks,
        int raftThreads,
        int ioThreads,
        int maxBackoffMillis,
        int idleTimeoutMillis,
        Path tlsKeyStore,
        Path tlsTrustStore,
        String tlsPassword,
        boolean exitOnStdinEof,
        boolean join) {

    /** How to call the member; printed with every refused command line. */
    public static final String USAGE = String.join(
            "\n",
            "usage: MemberMain --id ID --data DIR --listen HOST:PORT [--peer ID=HOST:PORT]... [options]",
            "  --control-port N         control endpoint port on 127.0.0.1 (default 0: any free port)",
            "  --cluster NAME           cluster name (default spool-cluster)",
            "  --group NAME             Raft group name (default cluster)",
            "  --durability NONE|SYNC   journal durability (default NONE)",
            "  --segment-size BYTES     journal segment size (default 67108864)",
            "  --max-entry BYTES        largest payload (default 1048576)",
            "  --slots N                entry slots, a power of two (default 4096)",
            "  --snapshot-interval N    applied entries between snapshots (default 100000)",
            "  --kept N                 entries kept behind a snapshot (default 10000)",
            "  --snapshot-ballast BYTES checked filler in each snapshot, standing in for bulk state (default 0)",
            "  --tick-ms N              Raft tick (default 10)",
            "  --election-ticks N       election timeout in ticks (default 30)",
            "  --heartbeat-ticks N      heartbeat interval in ticks (default 3)",
            "  --raft-threads N         agent threads (default 3)",
            "  --io-threads N           transport event-loop threads (default 2)",
            "  --max-backoff-ms N       longest reconnection wait (default 1000)",
            "  --idle-timeout-ms N      a peer connection receiving nothing this long is closed (default 10000)",
            "  --tls-keystore FILE --tls-truststore FILE --tls-password PW   mutual TLS with PKCS12 stores",
            "  --exit-on-stdin-eof      exit when standard input ends (the launcher died)",
            "  --join                   join the running group of the peers (added through a membership change)");

    /**
     * Parses a command line.
     *
     * @param args the arguments
     * @return the options
     * @throws IllegalArgumentException naming the option that is missing, unknown or wrong
     */
    public static MemberOptions parse(String... args) {
        final Deque<String> rest = new ArrayDeque<>(Arrays.asList(args));
        final Map<String, String> values = new LinkedHashMap<>();
        final Map<String, InetSocketAddress> peers = new LinkedHashMap<>();
        boolean exitOnStdinEof = false;
        boolean join = false;
        while (!rest.isEmpty()) {
            final String option = rest.removeFirst();
            if (option.equals("--exit-on-stdin-eof")) {
                exitOnStdinEof = true;
                continue;
            }
            if (option.equals("--join")) {
                join = true;
                continue;
            }
            if (!option.startsWith("--") || rest.isEmpty()) {
                throw new IllegalArgumentException("expected an option and its value, found '" + option + "'"
                        + (rest.isEmpty() ? " at the end" : ""));
            }
            final String value = rest.removeFirst();
            if (option.equals("--peer")) {
                final int equals = value.indexOf('=');
                if (equals <= 0) {
                    throw new IllegalArgumentException("--peer " + value + ": expected ID=HOST:PORT");
                }
                peers.put(value.substring(0, equals), address("--peer", value.substring(equals + 1)));
            } else if (values.put(option, value) != null) {
                throw new IllegalArgumentException(option + " is given twice");
            }
        }
        final Options read = new Options(values);
        final Path keyStore = read.path("--tls-keystore");
        final Path trustStore = read.path("--tls-truststore");
        final String password = read.text("--tls-password", null);
        if ((keyStore == null) != (trustStore == null) || (keyStore == null) != (password == null)) {
            throw new IllegalArgumentException("--tls-keystore, --tls-truststore and --tls-password go together");
        }
        final MemberOptions options = new MemberOptions(
                read.required("--id"),
                Path.of(read.required("--data")),
                address("--listen", read.required("--listen")),
                peers,
                read.integer("--control-port", 0),
                read.text("--cluster", "spool-cluster"),
                read.text("--group", "cluster"),
                read.durability(),
                read.integer("--segment-size", 64 << 20),
                read.integer("--max-entry", 1 << 20),
                read.integer("--slots", 4096),
                read.number("--snapshot-interval", 100_000),
                read.number("--kept", 10_000),
                read.number("--snapshot-ballast", 0),
                read.integer("--tick-ms", 10),
                read.integer("--election-ticks", 30),
                read.integer("--heartbeat-ticks", 3),
                read.integer("--raft-threads", 3),
                read.integer("--io-threads", 2),
                read.integer("--max-backoff-ms", 1000),
                read.integer("--idle-timeout-ms", 10_000),
                keyStore,
                trustStore,
                password,
                exitOnStdinEof,
                join);
        read.refuseUnknown();
        return options;
    }

    private static InetSocketAddress address(String option, String value) {
        final int colon = value.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(option + " " + value + ": expected HOST:PORT");
        }
        try {
            return new InetSocketAddress(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " " + value + ": " + e.getMessage(), e);
        }
    }

    /** The named options of one command line, removed as they are read, so that the unknown ones remain. */
    private record Options(Map<String, String> values) {

        String required(String option) {
            final String value = values.remove(option);
            if (value == null) {
                throw new IllegalArgumentException(option + " is required");
            }
            return value;
        }

        String text(String option, String otherwise) {
            final String value = values.remove(option);
            return value == null ? otherwise : value;
        }

        Path path(String option) {
            final String value = values.remove(option);
            return value == null ? null : Path.of(value);
        }

        int integer(String option, int otherwise) {
            return Numbers.asInt(option, number(option, otherwise));
        }

        long number(String option, long otherwise) {
            final String value = values.remove(option);
            return value == null ? otherwise : Numbers.nonNegative(option + " " + value, value);
        }

        Durability durability() {
            final String value = text("--durability", Durability.NONE.name());
            try {
                return Durability.valueOf(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "--durability " + value + ": expected one of " + Arrays.toString(Durability.values()), e);
            }
        }

        void refuseUnknown() {
            if (!values.isEmpty()) {
                throw new IllegalArgumentException("unknown option(s) " + values.keySet());
            }
        }
    }
}
