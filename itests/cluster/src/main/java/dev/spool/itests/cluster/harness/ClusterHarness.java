package dev.spool.itests.cluster.harness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cluster of members, each a separate JVM on loopback with its own free replication port and its own data
 * directory ({@code <work>/<id>/data}, logs in {@code <work>/logs}). Closing the harness kills every member it
 * started; so does the end of this JVM (a shutdown hook, and each member exits when its standard input, a pipe from
 * this JVM, ends).
 *
 * <p>Thread-safe.
 */
public final class ClusterHarness implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(50);

    private final Map<String, MemberProcess> members = new LinkedHashMap<>();
    private final ClusterNetwork network;
    private final String classpath;
    private final Thread killer = new Thread(this::killAll, "cluster-harness-cleanup");

    /**
     * Prepares a cluster; no member runs yet.
     *
     * @param workDirectory where the members' data and logs go
     * @param classpath the members' classpath (the cluster module's classes and their runtime dependencies)
     * @param ids the members' ids
     * @param memberArgs options every member gets (such as {@code --durability SYNC})
     * @throws IOException if no free ports can be found
     */
    public ClusterHarness(Path workDirectory, String classpath, List<String> ids, List<String> memberArgs)
            throws IOException {
        this(workDirectory, classpath, ids, memberArgs, false);
    }

    /**
     * Prepares a cluster; no member runs yet. With {@code faultyNetwork}, each member reaches each peer through a
     * {@link FaultProxy} of the harness's {@link #network()}, so that a test controls every link.
     *
     * @param workDirectory where the members' data and logs go
     * @param classpath the members' classpath (the cluster module's classes and their runtime dependencies)
     * @param ids the members' ids
     * @param memberArgs options every member gets (such as {@code --durability SYNC})
     * @param faultyNetwork whether the members' links go through fault-injecting proxies
     * @throws IOException if no free ports can be found or a proxy cannot open
     */
    public ClusterHarness(
            Path workDirectory, String classpath, List<String> ids, List<String> memberArgs, boolean faultyNetwork)
            throws IOException {
        this.classpath = classpath;
        final Map<String, Integer> ports = freePorts(ids);
        network = faultyNetwork ? new ClusterNetwork(ports) : null;
        for (String id : ids) {
            final Map<String, Integer> peers = new LinkedHashMap<>();
            for (String peer : ids) {
                if (!peer.equals(id)) {
                    peers.put(peer, network == null ? ports.get(peer) : network.port(id, peer));
                }
            }
            members.put(
                    id,
                    new MemberProcess(
                            id,
                            classpath,
                            workDirectory.resolve(id).resolve("data"),
                            ports.get(id),
                            peers,
                            memberArgs,
                            workDirectory.resolve("logs")));
        }
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /**
     * Prepares one more member, not started, that joins the running group of the members so far ({@code --join}):
     * they are its peers; none of them is told of it (a membership change on the leader adds it).
     *
     * @param id its id
     * @param memberArgs its options, besides {@code --join}
     * @return the member
     * @throws IOException if no free port can be found
     */
    public MemberProcess joining(String id, List<String> memberArgs) throws IOException {
        if (members.containsKey(id)) {
            throw new IllegalArgumentException("member " + id + " exists already");
        }
        final Map<String, Integer> peers = new LinkedHashMap<>();
        members.values().forEach(member -> peers.put(member.id(), member.listenPort()));
        final MemberProcess first = members.values().iterator().next();
        final Path work = first.dataDirectory().getParent().getParent();
        final List<String> args = new ArrayList<>(memberArgs);
        args.add("--join");
        final MemberProcess joining = new MemberProcess(
                id,
                classpath,
                work.resolve(id).resolve("data"),
                freePorts(List.of(id)).get(id),
                peers,
                args,
                work.resolve("logs"));
        members.put(id, joining);
        return joining;
    }

    /**
     * Ports free now, held open together so that no two are the same, then released for the members. They are taken
     * below the system's ephemeral range: a port from there (a bind to port 0) can be handed to any outgoing
     * connection, a fault proxy's among them, in the moment between its release here and the member's bind, and the
     * member then fails to listen ("Address already in use", seen in a test run). A cursor shared by the harnesses of
     * one JVM keeps concurrent clusters apart.
     */
    static Map<String, Integer> freePorts(List<String> ids) throws IOException {
        final List<ServerSocket> held = new ArrayList<>();
        final Map<String, Integer> ports = new LinkedHashMap<>();
        final int low = LOWEST_PORT;
        final int high = ephemeralLow();
        try {
            for (String id : ids) {
                for (int tried = 0; ; tried++) {
                    if (tried >= high - low) {
                        throw new IOException("no free port between " + low + " and " + high);
                    }
                    final int port = low + Math.floorMod(NEXT_PORT.getAndIncrement(), high - low);
                    try {
                        final ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
                        held.add(socket);
                        ports.put(id, port);
                        break;
                    } catch (IOException taken) {
                        // in use: try the next
                    }
                }
            }
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
        return ports;
    }

    /** The first port of the system's ephemeral range (Linux's setting, else the IANA range's start). */
    static int ephemeralLow() {
        try {
            final String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .trim();
            return Math.max(LOWEST_PORT + 1_000, Integer.parseInt(range.split("\\s+")[0]));
        } catch (IOException | RuntimeException e) {
            return 49_152;
        }
    }

    private static final int LOWEST_PORT = 20_000;
    private static final AtomicInteger NEXT_PORT =
            new AtomicInteger((int) (ProcessHandle.current().pid() * 97 % 5_000));

    /**
     * Returns a member.
     *
     * @param id its id
     * @return the member
     * @throws IllegalArgumentException if there is no such member
     */
    public MemberProcess member(String id) {
        final MemberProcess member = members.get(id);
        if (member == null) {
            throw new IllegalArgumentException("no member " + id + " among " + members.keySet());
        }
        return member;
    }

    /**
     * Returns the links between the members.
     *
     * @return the network
     * @throws IllegalStateException if the harness was made without a faulty network
     */
    public ClusterNetwork network() {
        if (network == null) {
            throw new IllegalStateException("this cluster's members are linked directly, not through proxies");
        }
        return network;
    }

    /** @return every member, in the order of their ids as given */
    public List<MemberProcess> members() {
        return List.copyOf(members.values());
    }

    /** @return the members whose processes run */
    public List<MemberProcess> running() {
        return members.values().stream().filter(MemberProcess::alive).toList();
    }

    /**
     * Starts every member that does not run, all at once, and waits until each is ready.
     *
     * @param timeout how long each may take to become ready
     * @throws IOException if one does not become ready
     */
    public void startAll(Duration timeout) throws IOException, InterruptedException {
        final List<Thread> starting = new ArrayList<>();
        final List<Exception> failures = new ArrayList<>();
        for (MemberProcess member : members.values()) {
            if (!member.alive()) {
                final Thread thread = new Thread(
                        () -> {
                            try {
                                member.start(timeout);
                            } catch (IOException | InterruptedException e) {
                                synchronized (failures) {
                                    failures.add(e);
                                }
                            }
                        },
                        "start-" + member.id());
                thread.start();
                starting.add(thread);
            }
        }
        for (Thread thread : starting) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            final IOException failed = new IOException(failures.size() + " member(s) did not start");
            failures.forEach(failed::addSuppressed);
            throw failed;
        }
    }

    /**
     * Waits until one running member leads and every member that answers knows it as its leader; the answering
     * members must be a majority of the cluster. A member that does not answer in time (paused with SIGSTOP,
     * starting, dying) is left out: it cannot hold the wait up.
     *
     * @param timeout how long to wait
     * @return the leader
     * @throws IllegalStateException if no leader is agreed on in time
     */
    public MemberProcess awaitLeader(Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            final Map<String, Map<String, String>> statuses = statuses();
            last = statuses.toString();
            if (statuses.size() > members.size() / 2) {
                for (Map.Entry<String, Map<String, String>> candidate : statuses.entrySet()) {
                    if ("LEADER".equals(candidate.getValue().get("role"))
                            && statuses.values().stream()
                                    .allMatch(status -> candidate.getKey().equals(status.get("leader")))) {
                        return member(candidate.getKey());
                    }
                }
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new IllegalStateException("no leader agreed on within " + timeout + "; statuses: " + last);
    }

    /**
     * Reads the status of every running member that answers.
     *
     * @return the statuses by member id
     */
    public Map<String, Map<String, String>> statuses() {
        final Map<String, Map<String, String>> statuses = new LinkedHashMap<>();
        for (MemberProcess member : running()) {
            try {
                statuses.put(member.id(), member.control().status());
            } catch (IOException | IllegalStateException e) {
                // Not answering now (starting, dying): left out.
            }
        }
        return statuses;
    }

    /** Kills every member. */
    @Override
    public void close() {
        killAll();
        if (network != null) {
            network.close();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook runs anyway.
        }
    }

    private void killAll() {
        for (MemberProcess member : members.values()) {
            try {
                member.kill();
            } catch (InterruptedException e) {
                // The SIGKILL went out before the wait was interrupted; kill the others, keep the interrupt.
                Thread.currentThread().interrupt();
            }
        }
    }
}
