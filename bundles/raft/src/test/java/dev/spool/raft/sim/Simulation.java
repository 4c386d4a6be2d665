package dev.spool.raft.sim;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.group.Durability;
import dev.spool.raft.core.RaftConfig;
import dev.spool.raft.core.Role;
import dev.spool.testing.lin.CheckResult;
import dev.spool.testing.lin.History;
import dev.spool.testing.lin.LinearizabilityChecker;
import dev.spool.testing.lin.OpKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One deterministic simulation run: a Raft group of 3 or 5 members (plus spare members that membership changes
 * add) on a {@link SimNetwork}, a key-value workload, and faults for a while: partitions, process and machine
 * crashes, restarts, pauses, membership changes and leadership transfers. Then the faults stop and the group must elect a
 * leader and commit everything pending within a bounded time. Safety is checked after every step and the client
 * history for linearizability at the end. Everything follows from the seed.
 */
public final class Simulation implements SimMember.Observer {

    /** Ticks of faults. */
    static final int FAULT_TICKS = 250;
    /** The bound on the quiet phase: a leader must be elected and everything committed everywhere within it. */
    static final int LIVENESS_TICKS = 250;

    private static final int KEYS = 3;
    private static final int CLIENTS_PER_KEY = 3;
    private static final int CLIENT_TIMEOUT_TICKS = 60;
    private static final int ELECTION_TICKS = 10;
    private static final boolean TRACE = Boolean.getBoolean("spool.sim.trace");

    private final long seed;
    private final SplittableRandom random;
    private final SimNetwork network;
    private final SafetyChecker safety = new SafetyChecker();
    private final History history = new History();
    private final Map<String, SimMember> members = new LinkedHashMap<>();
    private final List<Client> clients = new ArrayList<>();
    private final Map<Integer, Client> byHistoryId = new HashMap<>();
    private final List<Envelope> outbox = new ArrayList<>();
    private long now;
    private long firstElectionTicks = -1;
    private long recoveryTicks = -1;
    private long nextRequestId;
    private final Map<String, Long> events = new java.util.TreeMap<>();
    /** Paused members (up, but neither ticked nor reached) and the tick each resumes at. */
    private final Map<String, Long> pausedUntil = new HashMap<>();

    /** One client: at most one operation at a time on its key; gone for good once an outcome is unknown. */
    private static final class Client {
        final int number;
        final String key;
        KvOp op;
        long invokedAt;
        String readMember;
        long readRequest;
        boolean submitted;
        boolean lost;

        Client(int number, String key) {
            this.number = number;
            this.key = key;
        }
    }

    /** What a run measured. */
    public record Result(
            long seed, long firstElectionTicks, long recoveryTicks, int operations, Map<String, Long> events) {}

    private void count(String event) {
        events.merge(event, 1L, Long::sum);
    }

    /** With {@code -Dspool.sim.trace=true}, prints what happens: for replaying one failing seed. */
    private void trace(String what) {
        if (TRACE) {
            System.out.println("t" + now + " " + what + " | " + describe());
        }
    }

    /**
     * Prepares a run.
     *
     * @param seed the seed everything follows from
     */
    public Simulation(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.network = new SimNetwork(random.split());
        final int voters = random.nextBoolean() ? 3 : 5;
        final var initial = new ArrayList<Member>();
        for (int i = 1; i <= voters; i++) {
            initial.add(Member.voter("m" + i, ""));
        }
        final Membership bootstrap = new Membership(initial);
        for (int i = 1; i <= voters + 2; i++) {
            final String id = "m" + i;
            final var config = new RaftConfig(
                    id,
                    ELECTION_TICKS,
                    1,
                    1 + random.nextInt(8),
                    64L * 4,
                    1 + random.nextInt(4),
                    64L * 16,
                    64,
                    64,
                    20 + random.nextInt(40),
                    random.nextInt(10));
            final Durability durability = random.nextBoolean() ? Durability.NONE : Durability.SYNC;
            members.put(id, new SimMember(id, durability, config, bootstrap, this, random.nextLong()));
        }
        for (int i = 1; i <= voters; i++) {
            members.get("m" + i).start();
        }
        for (int k = 0; k < KEYS; k++) {
            for (int c = 0; c < CLIENTS_PER_KEY; c++) {
                clients.add(new Client(clients.size(), "k" + k));
            }
        }
    }

    /**
     * Runs the simulation and checks it.
     *
     * @return what it measured
     * @throws AssertionError naming the seed and the violated property
     */
    public Result run() {
        try {
            for (; now < FAULT_TICKS; now++) {
                step(true);
            }
            endFaults();
            final long quietStart = now;
            while (!converged()) {
                if (now - quietStart > LIVENESS_TICKS) {
                    throw new AssertionError("liveness: no convergence " + LIVENESS_TICKS
                            + " ticks after faults stopped: " + describe());
                }
                step(false);
                now++;
            }
            if (recoveryTicks < 0) {
                recoveryTicks = now - FAULT_TICKS;
            }
            final CheckResult linearizable = LinearizabilityChecker.check(history.operations());
            if (!linearizable.linearizable()) {
                throw new AssertionError(
                        "linearizability on key " + linearizable.key() + ": " + linearizable.explanation());
            }
            return new Result(
                    seed,
                    firstElectionTicks,
                    recoveryTicks,
                    history.operations().size(),
                    events);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("simulation seed " + seed + " failed at tick " + now + ": " + e.getMessage(), e);
        }
    }

    private void step(boolean faults) {
        pausedUntil.values().removeIf(until -> until <= now);
        for (Envelope envelope : network.due(now)) {
            final SimMember target = members.get(envelope.message().to());
            if (runs(target)) {
                target.deliver(envelope, outbox);
                flushOutbox();
                safety.check(members.values());
            }
        }
        for (SimMember member : members.values()) {
            if (runs(member)) {
                member.tick(outbox);
                flushOutbox();
            }
        }
        safety.check(members.values());
        if (TRACE) {
            traceRoles();
        }
        noteElections();
        runClients(faults);
        if (faults) {
            injectFault();
        }
        safety.check(members.values());
    }

    private void flushOutbox() {
        for (Envelope envelope : outbox) {
            network.send(now, envelope);
        }
        outbox.clear();
    }

    private void noteElections() {
        final SimMember leader = leader();
        if (leader != null && firstElectionTicks < 0) {
            firstElectionTicks = now;
        }
        if (now >= FAULT_TICKS && recoveryTicks < 0 && leader != null && leaderKnownToAll(leader)) {
            recoveryTicks = now - FAULT_TICKS;
        }
    }

    private final Map<String, String> lastRoles = new HashMap<>();

    private void traceRoles() {
        for (SimMember member : members.values()) {
            final String role =
                    member.isUp() ? member.core().role() + " t" + member.core().term() : "down";
            if (!role.equals(lastRoles.put(member.id(), role))) {
                trace(member.id() + " is " + role);
            }
        }
    }

    private boolean leaderKnownToAll(SimMember leader) {
        for (Member member : leader.core().membership().members()) {
            final SimMember m = members.get(member.id());
            if (!m.isUp() || !leader.id().equals(m.core().leaderId())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the member runs: up and not paused. A paused member is a process stopped (as by {@code SIGSTOP}) whose
     * connections lose what is sent to it meanwhile; it resumes with the role and timers it had.
     */
    private boolean runs(SimMember member) {
        return member.isUp() && !pausedUntil.containsKey(member.id());
    }

    /** The running leader of the highest term, if any. */
    private SimMember leader() {
        SimMember leader = null;
        for (SimMember member : members.values()) {
            if (runs(member)
                    && member.core().role() == Role.LEADER
                    && (leader == null || member.core().term() > leader.core().term())) {
                leader = member;
            }
        }
        return leader;
    }

    // ------------------------------------------------------------------------------------------ clients

    private void runClients(boolean faults) {
        for (Client client : clients) {
            if (client.lost) {
                continue;
            }
            if (client.op != null && now - client.invokedAt > CLIENT_TIMEOUT_TICKS) {
                client.lost = true; // outcome unknown: the operation stays pending in the history
                continue;
            }
            if (client.op == null && faults && random.nextInt(4) == 0) {
                invoke(client);
            }
            if (client.op != null && !client.submitted) {
                submit(client);
            }
        }
    }

    private void invoke(Client client) {
        final OpKind kind = OpKind.values()[random.nextInt(3)];
        final long input = kind == OpKind.READ ? 0 : 1 + random.nextInt(5);
        final long expected = kind == OpKind.CAS ? random.nextInt(6) : 0;
        final int historyId = history.invoke(client.number, client.key, kind, input, expected, now);
        client.op = new KvOp(historyId, client.key, kind, input, expected);
        client.invokedAt = now;
        client.submitted = false;
        byHistoryId.put(historyId, client);
    }

    private void submit(Client client) {
        if (client.op.kind() == OpKind.READ) {
            final SimMember leader = anyLeader();
            if (leader == null) {
                return;
            }
            client.readRequest = ++nextRequestId;
            client.readMember = leader.id();
            client.submitted = leader.core().readIndex(client.readRequest);
            leader.process(null, outbox);
            flushOutbox();
        } else {
            final SimMember leader = leader();
            if (leader != null) {
                client.submitted = leader.propose(client.op);
            }
        }
    }

    /**
     * A running member that believes it leads, of any term, chosen at random: a real client cannot tell a deposed
     * leader that has not yet heard of its successor from the current one, so reads must reach both.
     */
    private SimMember anyLeader() {
        final var leaders = new ArrayList<SimMember>();
        for (SimMember member : members.values()) {
            if (runs(member) && member.core().role() == Role.LEADER) {
                leaders.add(member);
            }
        }
        return leaders.isEmpty() ? null : leaders.get(random.nextInt(leaders.size()));
    }

    private void complete(Client client, long output) {
        history.complete(client.op.historyId(), output, now);
        client.op = null;
    }

    @Override
    public void appended(SimMember member, SimEntry entry) {
        safety.appended(member, entry);
    }

    @Override
    public void applied(SimMember member, SimEntry entry, long output) {
        safety.applied(member, entry);
        if (entry.op() != null) {
            final Client client = byHistoryId.get(entry.op().historyId());
            if (!client.lost && client.op == entry.op()) {
                complete(client, output);
            }
        }
    }

    @Override
    public void snapshotInstalled(SimMember member) {
        count("snapshots installed from a leader");
    }

    @Override
    public void readReady(SimMember member, long requestId) {
        for (Client client : clients) {
            if (!client.lost
                    && client.op != null
                    && client.op.kind() == OpKind.READ
                    && client.submitted
                    && client.readRequest == requestId
                    && member.id().equals(client.readMember)) {
                complete(client, member.state().getOrDefault(client.key, 0L));
                count("read-index reads served");
                return;
            }
        }
    }

    // ------------------------------------------------------------------------------------------- faults

    private void injectFault() {
        final int dice = random.nextInt(1000);
        if (dice < 15) {
            network.partitionRandomly(liveIds(), leader() == null ? null : leader().id());
            count("partitions");
        } else if (dice < 35) {
            network.heal();
        } else if (dice < 45) {
            crashProcess();
        } else if (dice < 50) {
            crashMachine();
        } else if (dice < 80) {
            restartOne();
        } else if (dice < 90) {
            changeMembership();
        } else if (dice < 97) {
            transferLeadership();
        } else if (dice < 103) {
            pause();
        }
    }

    /**
     * Pauses a running member for longer than an election timeout. A paused leader does not notice it lost its
     * quorum; on resuming it still leads its old term until it hears of the newer one, and a read it serves then
     * without a heartbeat round misses what its successor committed.
     */
    private void pause() {
        final SimMember victim = randomLive();
        if (victim != null && runs(victim)) {
            pausedUntil.put(victim.id(), now + ELECTION_TICKS * 2 + random.nextInt(ELECTION_TICKS * 4));
            count(victim.core().role() == Role.LEADER ? "leader pauses" : "follower pauses");
            trace("pause of " + victim.id());
        }
    }

    private List<String> liveIds() {
        final var ids = new ArrayList<String>();
        for (SimMember member : members.values()) {
            if (member.isUp()) {
                ids.add(member.id());
            }
        }
        return ids;
    }

    private SimMember randomLive() {
        final List<String> live = liveIds();
        return live.isEmpty() ? null : members.get(live.get(random.nextInt(live.size())));
    }

    private void crashProcess() {
        final SimMember victim = randomLive();
        if (victim != null) {
            victim.crashProcess();
            count("process crashes");
            trace("process crash of " + victim.id());
        }
    }

    /**
     * Crashes a machine, but only while no member is down or suspect and the leader's membership is held by all its
     * members. Losing unforced data on several machines at once may lose acknowledged entries of {@code NONE}
     * journals, which that durability accepts. A suspect member while a membership change is in flight can leave no
     * electable quorum (see docs/raft-core.md, known limits), which costs availability, not safety.
     */
    private void crashMachine() {
        final SimMember leader = leader();
        if (leader == null) {
            return;
        }
        final Membership membership = leader.core().membership();
        for (SimMember member : members.values()) {
            if (hasJoined(member)
                    && (!member.isUp()
                            || member.core().isSuspect()
                            || membership.contains(member.id())
                                    && !membership.equals(member.core().membership()))) {
                return;
            }
        }
        final SimMember victim = randomLive();
        if (victim != null) {
            victim.crashMachine();
            count("machine crashes");
            trace("machine crash of " + victim.id() + ", log now ends at "
                    + victim.log().lastIndex());
        }
    }

    /** Whether the member ever ran: spare members start only when a membership change adds them. */
    private boolean hasJoined(SimMember member) {
        return member.starts() > 0;
    }

    private void restartOne() {
        for (SimMember member : members.values()) {
            if (hasJoined(member) && !member.isUp()) {
                restart(member);
                return;
            }
        }
    }

    private void restart(SimMember member) {
        pausedUntil.remove(member.id());
        member.start();
        count("starts after a crash or to join");
        safety.restarted(member);
    }

    private void changeMembership() {
        final SimMember leader = leader();
        if (leader == null) {
            return;
        }
        final Membership current = leader.core().membership();
        final var candidates = new ArrayList<>(members.keySet());
        final String target = candidates.get(random.nextInt(candidates.size()));
        final Membership next;
        if (!current.contains(target)) {
            next = current.with(random.nextBoolean() ? Member.voter(target, "") : Member.learner(target, ""));
        } else if (random.nextBoolean()) {
            next = current.without(target);
        } else {
            final Member member = current.member(target).orElseThrow();
            next = current.with(member.withVoting(!member.voting()));
        }
        if (next.voters().size() < 3) {
            return;
        }
        if (leader.core().proposeMembership(next) > 0) {
            count("membership changes proposed");
            if (!members.get(target).isUp()) {
                restart(members.get(target));
            }
        }
        leader.process(null, outbox);
        flushOutbox();
    }

    private void transferLeadership() {
        final SimMember leader = leader();
        if (leader == null) {
            return;
        }
        final List<Member> voters = leader.core().membership().voters();
        if (leader.core()
                .transferLeadership(voters.get(random.nextInt(voters.size())).id())) {
            count("leadership transfers started");
        }
        leader.process(null, outbox);
        flushOutbox();
    }

    /** Faults stop: the network heals and every member that belongs to the group runs again. */
    private void endFaults() {
        pausedUntil.clear();
        network.heal();
        network.stopFaults();
        for (SimMember member : members.values()) {
            if (hasJoined(member) && !member.isUp()) {
                restart(member);
            }
        }
    }

    /**
     * Whether the group converged: one leader that every member of its membership follows, and every such member
     * has committed and applied the leader's whole log, with no client waiting on a submitted operation.
     */
    private boolean converged() {
        final SimMember leader = leader();
        if (leader == null || !leaderKnownToAll(leader)) {
            return false;
        }
        final long last = leader.core().lastIndex();
        for (Member member : leader.core().membership().members()) {
            final SimMember m = members.get(member.id());
            if (m.core().commitIndex() != last
                    || m.applied() != last
                    || m.core().isSuspect()) {
                return false;
            }
        }
        for (Client client : clients) {
            if (!client.lost && client.op != null) {
                return false;
            }
        }
        return true;
    }

    private String describe() {
        final var text = new StringBuilder();
        for (SimMember member : members.values()) {
            text.append(
                            member.isUp()
                                    ? member.core() + " applied " + member.applied() + " voters "
                                            + member.core().membership().voters().stream()
                                                    .map(Member::id)
                                                    .toList()
                                            + (member.core().isSuspect() ? " suspect" : "") + " leader "
                                            + member.core().leaderId()
                                    : member.id() + "[down]")
                    .append("; ");
        }
        for (Client client : clients) {
            if (!client.lost && client.op != null) {
                text.append("client ")
                        .append(client.number)
                        .append(" waits on ")
                        .append(client.op)
                        .append("; ");
            }
        }
        return text.toString();
    }
}
