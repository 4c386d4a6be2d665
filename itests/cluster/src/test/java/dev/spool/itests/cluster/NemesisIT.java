package dev.spool.itests.cluster;

import static dev.spool.itests.cluster.ClusterTestSupport.STARTUP;
import static dev.spool.itests.cluster.ClusterTestSupport.THREE;
import static dev.spool.itests.cluster.ClusterTestSupport.assertHolds;
import static dev.spool.itests.cluster.ClusterTestSupport.awaitSameHistory;

import dev.spool.itests.cluster.harness.ClusterHarness;
import dev.spool.itests.cluster.harness.ClusterNetwork;
import dev.spool.itests.cluster.harness.ControlClient;
import dev.spool.itests.cluster.harness.LinkFault;
import dev.spool.itests.cluster.harness.MemberProcess;
import dev.spool.testing.lin.CheckResult;
import dev.spool.testing.lin.OpKind;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three members behind fault-injecting proxies, a schedule of network, process and bandwidth faults chosen by a seed,
 * and clients on every member meanwhile: batch writers, and register clients whose writes, compare-and-sets and
 * linearizable reads are recorded with invocation and completion times; a register write whose outcome is unknown is
 * retried in its client session through another member. Once the faults stop and the network heals, one leader must
 * be agreed on, every member must apply the same history, no acknowledged write may be missing and none applied
 * twice (a batch writer never retries, a retried register write must take effect once), every request must have got
 * an outcome by its deadline,
 * and the register history must be linearizable. The test command runs fixed seeds; {@code -Dspool.nemesis.seed=N}
 * replays one, {@code -Plong} adds many fresh ones with longer schedules.
 */
@ExtendWith(DiscardPassedData.class)
class NemesisIT {

    private static final Duration ELECTION = Duration.ofSeconds(30);
    private static final Duration CONVERGENCE = Duration.ofSeconds(60);
    /** The members' election timeout is 30 ticks of 10 ms: a pause beyond it makes the others elect. */
    private static final long ELECTION_TIMEOUT_MILLIS = 300;
    /** The seeds of the test command: fixed, so that its run is reproducible. */
    private static final long[] FIXED_SEEDS = {1462351837235893602L, 7027244066551283499L, -3973592820315164877L};
    /**
     * {@code -Plong}: fresh seeds on top of the fixed ones, exploring new schedules each run;
     * {@code -Dspool.nemesis.longSeeds=N} sets how many.
     */
    private static final int LONG_SEEDS = Integer.getInteger("spool.nemesis.longSeeds", 30);
    /**
     * A hang guard per seed, not a timing assertion: a seed takes 20-30 s when it passes and each of its waits is
     * bounded, but a wedged one must fail with its seed rather than hold the build until failsafe kills the fork.
     */
    private static final Duration SEED_BOUND = Duration.ofMinutes(10);

    private static final int STANDARD_FAULTS = 5;
    private static final int LONG_FAULTS = 12;
    /** Each client numbers its writes from its own base; a client's writes are a range from it. */
    private static final long CLIENT_RANGE = 10_000_000;

    private static final int BATCH = 100;
    private static final int IN_FLIGHT = 16;
    private static final int PAYLOAD_BYTES = 64;
    /** The kinds of fault {@link #inject} draws from: nine single faults, jitter, and three that overlap. */
    private static final int FAULT_KINDS = 13;

    @TestFactory
    Stream<DynamicTest> seeds() {
        final String replay = System.getProperty("spool.nemesis.seed");
        final LongStream seeds = replay != null && !replay.isBlank()
                ? Arrays.stream(replay.split(",")).mapToLong(seed -> Long.parseLong(seed.trim()))
                : ClusterTestSupport.longTier()
                        ? LongStream.concat(LongStream.of(FIXED_SEEDS), new Random().longs(LONG_SEEDS))
                        : LongStream.of(FIXED_SEEDS);
        return seeds.boxed()
                .map(seed -> DynamicTest.dynamicTest("seed " + seed, () -> {
                    try {
                        Assertions.assertTimeoutPreemptively(SEED_BOUND, () -> run(seed));
                    } catch (Throwable e) {
                        throw new AssertionError(
                                "nemesis seed " + seed + " failed (replay: -Dspool.nemesis.seed=" + seed + "): "
                                        + e.getMessage(),
                                e);
                    }
                }));
    }

    private static void run(long seed) throws Exception {
        final Random random = new Random(seed);
        final int faults = ClusterTestSupport.longTier() ? LONG_FAULTS : STANDARD_FAULTS;
        final List<String> injected = new ArrayList<>();
        final long started = System.nanoTime();
        try (ClusterHarness cluster = new ClusterHarness(
                ClusterTestSupport.workDirectory("nemesis-" + seed),
                ClusterTestSupport.memberClasspath(),
                THREE,
                List.of(),
                true)) {
            cluster.startAll(STARTUP);
            cluster.awaitLeader(ELECTION);
            final AcknowledgedSequences acknowledged = new AcknowledgedSequences();
            final AtomicBoolean stop = new AtomicBoolean();
            final Unavailability unavailability = new Unavailability();
            final RegisterHistory history = new RegisterHistory();
            final AtomicLong registerOps = new AtomicLong();
            final List<Client> clients = new ArrayList<>();
            final List<BatchClient> writers = new ArrayList<>();
            for (int i = 0; i < THREE.size(); i++) {
                final MemberProcess member = cluster.member(THREE.get(i));
                final BatchClient writer =
                        new BatchClient(member, i * CLIENT_RANGE, acknowledged, unavailability, stop);
                writers.add(writer);
                clients.add(writer);
            }
            for (int i = 0; i < THREE.size(); i++) {
                clients.add(new RegisterClient(
                        i,
                        cluster.members(),
                        clients.size() * CLIENT_RANGE,
                        seed + i,
                        registerOps,
                        history,
                        acknowledged,
                        unavailability,
                        stop));
            }
            clients.forEach(client -> client.thread.start());

            for (int i = 0; i < faults; i++) {
                final double at = unavailability.secondsSinceStart();
                injected.add(String.format("%.1f s: %s", at, inject(cluster, random)));
                Thread.sleep(200 + random.nextInt(800)); // a moment to recover before the next fault
            }
            cluster.network().heal();
            unavailability.stopped();
            stop.set(true);
            for (Client client : clients) {
                client.thread.join(Duration.ofSeconds(90).toMillis());
                if (client.thread.isAlive()) {
                    throw new AssertionError("client on " + client.member.id() + " did not end 90 s after the faults");
                }
                if (client.failure != null) {
                    throw new AssertionError(client.thread.getName() + " failed", client.failure);
                }
            }
            final List<String> lost =
                    clients.stream().flatMap(client -> client.lost.stream()).toList();
            if (!lost.isEmpty()) {
                throw new AssertionError(lost.size() + " requests got no outcome from the group by their deadline"
                        + " (every request must end), first: " + lost.get(0));
            }

            final MemberProcess leader = cluster.awaitLeader(ELECTION);
            awaitSameHistory(cluster, CONVERGENCE);
            final Map<String, String> reference = leader.control().read();
            for (MemberProcess member : cluster.members()) {
                assertHolds(member, reference, acknowledged, CONVERGENCE);
                assertOnlyProposed(member, clients);
            }
            final CheckResult linearizable = history.check();
            if (!linearizable.linearizable()) {
                throw new AssertionError("the register history is not linearizable: " + linearizable.explanation()
                        + unfinishedWrites(clients, leader));
            }
            long attempted = 0;
            long failed = 0;
            for (BatchClient writer : writers) {
                attempted += writer.next - writer.base;
                failed += writer.unacknowledged.get();
            }
            long retries = 0;
            long acknowledgedOnRetry = 0;
            for (Client client : clients) {
                if (client instanceof RegisterClient registers) {
                    retries += registers.retries.get();
                    acknowledgedOnRetry += registers.acknowledgedOnRetry.get();
                }
            }
            System.out.printf(
                    "nemesis seed %d: %d faults %s; %d batch writes attempted, %d without acknowledgement;"
                            + " %s, %s; %d register write attempts retried through another member in their session, %d"
                            + " writes acknowledged on a retry, none applied twice; %d entries acknowledged and checked on all three, applied %s on all three; longest"
                            + " unavailability %s; 0 acknowledged-but-lost; %s leads; %.1f s%n",
                    seed,
                    faults,
                    injected,
                    attempted,
                    failed,
                    history.describe(),
                    linearizable.explanation(),
                    retries,
                    acknowledgedOnRetry,
                    acknowledged.count(),
                    reference.get("count"),
                    unavailability,
                    leader.id(),
                    (System.nanoTime() - started) / 1e9);
        } catch (Throwable e) {
            System.out.printf("nemesis seed %d FAILED after faults %s%n", seed, injected);
            throw e;
        }
    }

    /**
     * What became of each register write whose outcome no client heard (left out as refused, or pending): each
     * attempt's answer, and whether the leader applied its value; what explains most histories the checker refuses.
     */
    private static String unfinishedWrites(List<Client> clients, MemberProcess leader) throws IOException {
        final List<long[]> applied = leader.control().appliedRanges();
        final StringBuilder out =
                new StringBuilder("\nregister writes without a heard outcome (applied on " + leader.id() + "?):");
        for (Client client : clients) {
            if (client instanceof RegisterClient registers) {
                registers.unfinished.forEach((value, trail) -> out.append("\n  ")
                        .append(trail)
                        .append(" -> ")
                        .append(
                                applied.stream().anyMatch(range -> range[0] <= value && value <= range[1])
                                        ? "applied"
                                        : "not applied"));
            }
        }
        return out.toString();
    }

    /** No member applied a sequence number no client proposed. */
    private static void assertOnlyProposed(MemberProcess member, List<? extends Client> clients) throws IOException {
        for (long[] range : member.control().appliedRanges()) {
            final Client owner = clients.get(Math.toIntExact(range[0] / CLIENT_RANGE));
            if (range[1] >= owner.next) {
                throw new AssertionError(member.id() + " applied " + range[0] + "-" + range[1]
                        + ", beyond what its client proposed (below " + owner.next + ")");
            }
        }
    }

    /** Injects one fault, holds it, and undoes it; returns what it did. */
    private static String inject(ClusterHarness cluster, Random random) throws Exception {
        final ClusterNetwork network = cluster.network();
        final String leader = currentLeader(cluster, random);
        final long hold = 500 + random.nextInt(2_000);
        final String fault;
        switch (random.nextInt(FAULT_KINDS)) {
            case 0 -> {
                fault = "isolate leader " + leader;
                network.isolate(leader);
                Thread.sleep(hold);
                network.heal();
            }
            case 1 -> {
                final String from = THREE.get(random.nextInt(3));
                final String to = other(from, random);
                fault = "cut " + from + "->" + to;
                network.cut(from, to);
                Thread.sleep(hold);
                network.heal();
            }
            case 2 -> {
                final String follower = other(leader, random);
                fault = "isolate follower " + follower;
                network.isolate(follower);
                Thread.sleep(hold);
                network.heal();
            }
            case 3 -> {
                final long pause = ELECTION_TIMEOUT_MILLIS * 2 + random.nextInt(1_500);
                fault = "SIGSTOP leader " + leader + " " + pause + " ms";
                final MemberProcess paused = cluster.member(leader);
                paused.pause();
                Thread.sleep(pause);
                paused.resume();
            }
            case 4 -> {
                final String victim = THREE.get(random.nextInt(3));
                fault = "kill -9 " + victim + " restarted after " + hold + " ms";
                final MemberProcess member = cluster.member(victim);
                member.kill();
                Thread.sleep(hold);
                member.start(STARTUP);
            }
            case 5 -> {
                final String a = THREE.get(random.nextInt(3));
                final String b = other(a, random);
                fault = "reset " + a + "<->" + b;
                network.reset(a, b);
            }
            case 6 -> {
                fault = "kill -9 all, restarted after " + hold + " ms";
                for (MemberProcess member : cluster.members()) {
                    member.kill();
                }
                Thread.sleep(hold);
                cluster.startAll(STARTUP);
            }
            case 7 -> {
                final String follower = other(leader, random);
                final long cap = 16_384 + random.nextInt(128 << 10);
                fault = "cap " + leader + "->" + follower + " " + cap + " B/s";
                network.link(leader, follower, LinkFault.cap(cap));
                Thread.sleep(hold);
                network.heal();
            }
            case 8 -> {
                final String a = THREE.get(random.nextInt(3));
                final String b = other(a, random);
                fault = "slow drip " + a + "<->" + b + " 64 B/s";
                network.link(a, b, LinkFault.cap(64));
                network.link(b, a, LinkFault.cap(64));
                Thread.sleep(hold);
                network.heal();
            }
            case 9 -> {
                final LinkFault jitter = jitter(random);
                fault = "jitter " + jitter + " on every link";
                jitterAll(network, jitter);
                Thread.sleep(hold);
                network.heal();
            }
            case 10 -> {
                // No quorum while both last: the follower left cannot elect alone, and must not serve.
                final String follower = other(leader, random);
                final long pause = ELECTION_TIMEOUT_MILLIS * 2 + random.nextInt(1_500);
                fault = "isolate follower " + follower + " and SIGSTOP leader " + leader + " " + pause + " ms";
                network.isolate(follower);
                final MemberProcess paused = cluster.member(leader);
                paused.pause();
                Thread.sleep(pause);
                paused.resume();
                Thread.sleep(hold);
                network.heal();
            }
            case 11 -> {
                final String a = THREE.get(random.nextInt(3));
                final String b = other(a, random);
                final String victim = THREE.get(random.nextInt(3));
                fault = "slow drip " + a + "<->" + b + " 64 B/s, kill -9 " + victim + " during it, restarted after "
                        + hold + " ms";
                network.link(a, b, LinkFault.cap(64));
                network.link(b, a, LinkFault.cap(64));
                final MemberProcess member = cluster.member(victim);
                member.kill();
                Thread.sleep(hold);
                member.start(STARTUP);
                Thread.sleep(hold / 2);
                network.heal();
            }
            default -> {
                final LinkFault jitter = jitter(random);
                fault = "jitter " + jitter + " on every link, isolate leader " + leader + " during it";
                jitterAll(network, jitter);
                network.isolate(leader);
                Thread.sleep(hold);
                jitterAll(network, jitter); // the isolation ends, the jitter stays a while
                Thread.sleep(hold / 2);
                network.heal();
            }
        }
        return fault;
    }

    /** A delay of 5-50 ms plus up to 20-300 ms more per chunk: around and beyond a heartbeat, within an election. */
    private static LinkFault jitter(Random random) {
        return LinkFault.jitter(5 + random.nextInt(46), 20 + random.nextInt(281));
    }

    private static void jitterAll(ClusterNetwork network, LinkFault jitter) {
        for (String from : THREE) {
            for (String to : THREE) {
                if (!from.equals(to)) {
                    network.link(from, to, jitter);
                }
            }
        }
    }

    /** The member that leads now as the members see it, or a random one if none is agreed on at once. */
    private static String currentLeader(ClusterHarness cluster, Random random) {
        final String fallback = THREE.get(random.nextInt(3)); // drawn always, so the schedule follows the seed
        long term = -1;
        String leader = fallback;
        for (Map.Entry<String, Map<String, String>> status : cluster.statuses().entrySet()) {
            if ("LEADER".equals(status.getValue().get("role"))
                    && Long.parseLong(status.getValue().get("term")) > term) {
                term = Long.parseLong(status.getValue().get("term"));
                leader = status.getKey();
            }
        }
        return leader;
    }

    private static String other(String id, Random random) {
        final List<String> others =
                THREE.stream().filter(other -> !other.equals(id)).toList();
        return others.get(random.nextInt(others.size()));
    }

    /** A client of one member that proposes fresh sequence numbers from its own range, each once. */
    private abstract static class Client {

        final MemberProcess member;
        final long base;
        /** Requests the group left without an outcome beyond their deadline, as the member reported them. */
        final List<String> lost = Collections.synchronizedList(new ArrayList<>());

        final AtomicBoolean stop;
        final Thread thread;
        /** The next sequence number to propose; read after the thread ended. */
        volatile long next;
        /** What ended the thread early, if anything did: its operation in flight is then missing from the history. */
        volatile Throwable failure;

        Client(MemberProcess member, long base, AtomicBoolean stop, String name) {
            this.member = member;
            this.base = base;
            this.next = base;
            this.stop = stop;
            this.thread = new Thread(this::run, name + "-" + member.id());
        }

        private void run() {
            while (!stop.get()) {
                final ControlClient control;
                try {
                    control = member.control();
                } catch (IllegalStateException e) {
                    sleep(); // killed, not yet restarted
                    continue;
                }
                try {
                    step(control);
                } catch (RuntimeException | Error e) {
                    failure = e;
                    return;
                }
            }
        }

        /** Makes one request of the member. */
        abstract void step(ControlClient control);

        static void sleep() {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Writes batches of fresh sequence numbers through one member until stopped; never retries one. */
    private static final class BatchClient extends Client {

        private final AcknowledgedSequences acknowledged;
        private final Unavailability unavailability;
        private final AtomicLong unacknowledged = new AtomicLong();

        BatchClient(
                MemberProcess member,
                long base,
                AcknowledgedSequences acknowledged,
                Unavailability unavailability,
                AtomicBoolean stop) {
            super(member, base, stop, "nemesis-writer");
            this.acknowledged = acknowledged;
            this.unavailability = unavailability;
        }

        @Override
        void step(ControlClient control) {
            final long first = next;
            next = first + BATCH; // proposed once, whatever the outcome: never retried
            final AtomicLong acked = new AtomicLong();
            try {
                final ControlClient.ProposeEnd end =
                        control.propose(first, BATCH, PAYLOAD_BYTES, IN_FLIGHT, (sequence, index) -> {
                            acked.incrementAndGet();
                            acknowledged.add(sequence, index);
                            unavailability.acknowledged();
                        });
                end.lost().forEach(line -> lost.add(member.id() + ": proposal " + line));
            } catch (IOException e) {
                sleep(); // refused at once (dying, restarting)
            }
            unacknowledged.addAndGet(BATCH - acked.get());
        }
    }

    /**
     * Reads, writes and compare-and-sets registers through one member, one operation at a time, recording each with
     * its invocation and completion time. Writes are made in a client session: one whose outcome is unknown (no
     * answer, a timeout, {@code OutcomeUnknownException}, {@code NotLeaderException}, a member killed or paused) is
     * sent again with the same session and sequence number through the next member, up to {@value #ATTEMPTS}
     * attempts, and recorded as one operation from its first invocation to the answer; the group must apply it
     * once. Keys come in generations of {@value #KEYS}, each key taking about
     * {@value #OPS_PER_KEY} operations before the clients move to the next generation, so that each key's history
     * stays small enough to check.
     */
    private static final class RegisterClient extends Client {

        private static final int KEYS = 4;
        private static final int OPS_PER_KEY = 150;
        /**
         * Refusals that say nothing was appended; any other failure leaves the outcome unknown (a connection refused
         * too: the request may have reached a member that died answering).
         */
        private static final List<String> DEFINITE_REFUSALS =
                List.of("NotLeaderException", "BusyException", "StorageUnavailableException", "RejectedException");

        /** Attempts of one write: its member, then the others in turn. */
        private static final int ATTEMPTS = 6;

        private final int id;
        private final List<MemberProcess> members;
        private final int home;
        private final Random random;
        /** Attempts beyond the first, and writes acknowledged on one. */
        final AtomicLong retries = new AtomicLong();

        final AtomicLong acknowledgedOnRetry = new AtomicLong();
        /** The client session its writes are made in: a retry resends the same session and sequence number. */
        private long session;

        private long sessionSequence;
        private final AtomicLong issued;
        private final RegisterHistory history;
        private final AcknowledgedSequences acknowledged;
        private final Unavailability unavailability;
        /** The value this client last saw in each register: what its compare-and-sets expect. */
        private final Map<Integer, Long> seen = new HashMap<>();
        /** Per write whose outcome it did not hear, by value: its attempts and their answers. */
        final Map<Long, String> unfinished = new ConcurrentHashMap<>();

        RegisterClient(
                int id,
                List<MemberProcess> members,
                long base,
                long seed,
                AtomicLong issued,
                RegisterHistory history,
                AcknowledgedSequences acknowledged,
                Unavailability unavailability,
                AtomicBoolean stop) {
            super(members.get(id), base, stop, "nemesis-registers");
            this.id = id;
            this.members = List.copyOf(members);
            this.home = id;
            this.random = new Random(seed);
            this.session = newSession();
            this.issued = issued;
            this.history = history;
            this.acknowledged = acknowledged;
            this.unavailability = unavailability;
        }

        /** A 504 is the member saying the group gave the request no outcome by its deadline. */
        private void noteLost(IOException e) {
            if (String.valueOf(e.getMessage()).contains(" with 504: ")) {
                lost.add(e.getMessage());
            }
        }

        @Override
        void step(ControlClient control) {
            final long generation = issued.getAndIncrement() / (KEYS * OPS_PER_KEY);
            final int key = Math.toIntExact(generation * KEYS + random.nextInt(KEYS));
            final int draw = random.nextInt(10);
            final long invoked = System.nanoTime();
            if (draw < 3) {
                try {
                    final long value = control.readRegister(key);
                    history.completed(id, key, OpKind.READ, 0, 0, value, invoked, System.nanoTime());
                    seen.put(key, value);
                    unavailability.acknowledged();
                } catch (IOException e) {
                    noteLost(e);
                    sleep(); // a read without an outcome changed nothing
                }
                return;
            }
            final boolean cas = draw >= 7;
            final long value = next++;
            final long expected = cas ? seen.getOrDefault(key, 0L) : 0;
            final OpKind kind = cas ? OpKind.CAS : OpKind.WRITE;
            final long sequence = ++sessionSequence;
            // Whether some attempt may have been appended: only refusals before any append leave the write out.
            boolean unknown = false;
            final StringBuilder trail = new StringBuilder("client " + id + " " + kind + "(" + key + ", "
                    + (cas ? expected + "->" : "") + value + ") session " + Long.toHexString(session) + " sequence "
                    + sequence);
            int target = home;
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                if (attempt > 0) {
                    retries.incrementAndGet();
                    target = (target + 1) % members.size(); // retried through another member
                    sleep();
                }
                final ControlClient through;
                try {
                    through = attempt == 0 ? control : members.get(target).control();
                } catch (IllegalStateException e) {
                    trail.append("; ").append(members.get(target).id()).append(" down");
                    continue; // killed, not yet restarted: nothing was sent
                }
                try {
                    final Map<String, String> answer =
                            through.writeRegister(key, value, cas ? expected : null, session, sequence);
                    final long completed = System.nanoTime();
                    acknowledged.add(value, Long.parseLong(answer.get("index")));
                    unavailability.acknowledged();
                    if (attempt > 0) {
                        acknowledgedOnRetry.incrementAndGet();
                    }
                    final String written = answer.get("written");
                    if ("unknown".equals(written)) {
                        unfinished.put(
                                value,
                                trail.append("; through ")
                                        .append(members.get(target).id())
                                        .append(": index ")
                                        .append(answer.get("index"))
                                        .append(", written unknown; pending")
                                        .toString());
                        history.pending(id, key, kind, value, expected, invoked);
                    } else {
                        history.completed(
                                id,
                                key,
                                kind,
                                value,
                                expected,
                                cas && Boolean.parseBoolean(written) ? 1 : 0,
                                invoked,
                                completed);
                        if (!cas || Boolean.parseBoolean(written)) {
                            seen.put(key, value);
                        }
                    }
                    return;
                } catch (IOException e) {
                    noteLost(e);
                    final String message = String.valueOf(e.getMessage());
                    trail.append("; through ")
                            .append(members.get(target).id())
                            .append(": ")
                            .append(message);
                    if (message.contains("proposal failed: ResultUnknownException")) {
                        // An earlier attempt applied it; what it returned is no longer known.
                        unfinished.put(value, trail.append("; pending").toString());
                        history.pending(id, key, kind, value, expected, invoked);
                        return;
                    }
                    if (message.contains("proposal failed: SessionExpiredException")) {
                        // The session's first write never applied: this one is not, and a new session starts.
                        unfinished.put(value, trail.append("; pending").toString());
                        history.pending(id, key, kind, value, expected, invoked);
                        session = newSession();
                        sessionSequence = 0;
                        return;
                    }
                    unknown |= DEFINITE_REFUSALS.stream()
                            .noneMatch(refusal -> message.contains("proposal failed: " + refusal));
                }
                if (stop.get()) {
                    break;
                }
            }
            unfinished.put(
                    value,
                    trail.append(unknown ? "; pending" : "; left out as refused")
                            .toString());
            if (unknown) {
                history.pending(id, key, kind, value, expected, invoked);
            }
        }

        private long newSession() {
            return 1 + (random.nextLong() & (Long.MAX_VALUE >> 1));
        }
    }
}
