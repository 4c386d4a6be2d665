package dev.spool.raft.group;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.group.Durability;
import dev.spool.api.group.GroupRole;
import dev.spool.api.group.OutcomeUnknownException;
import dev.spool.api.group.ProposalCallback;
import dev.spool.api.group.RaftGroupException;
import dev.spool.api.group.ReadCallback;
import dev.spool.raft.pipeline.DeterministicAgentScheduler;
import dev.spool.testing.lin.CheckResult;
import dev.spool.testing.lin.History;
import dev.spool.testing.lin.LinearizabilityChecker;
import dev.spool.testing.lin.OpKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * One seeded run of three real group members — their core, log and apply agents on a
 * {@link DeterministicAgentScheduler} per member, their journals and snapshot stores on disk — over a
 * {@link StreamerModel} of the Netty streamer: connections that break and reconnect after a gap (everything in
 * flight lost, forwarding frames included), per-group credit that runs out (AppendEntries and snapshot chunks refused
 * until it returns), full send buffers, frames an inbox refuses, records with a flipped byte. Faults: partitions
 * that isolate a member, pauses (a member's agents do not run while the clock moves on, as under SIGSTOP; half of
 * them break its connections, as its peers' idle timeouts would, so it resumes hearing nothing for a while), process
 * crashes and restarts (stop and start from what is on disk). Clients write, compare-and-set and read (through read
 * barriers) three registers, mostly through the leader, sometimes through another member (which forwards to the
 * leader in one seed of {@value #FORWARDING_SEEDS}). Checked: at most one leader per term after every round; no two
 * members apply different operations at one index, across restarts (the state machines report every apply); once
 * the faults stop, the group converges within a bounded number of rounds; every operation ends exactly once
 * (applied, readable or failed) within {@value #ENDING_ROUNDS} rounds after convergence, without stopping the group;
 * every received frame is released once the groups stop; the whole client history is linearizable. A failure names
 * the seed.
 */
final class AgentSimulation {

    /** The members a group starts with; a fourth joins later as a learner. */
    private static final int VOTERS = 3;

    private static final int MEMBERS = 4;
    private static final int KEYS = 3;
    private static final int CLIENTS = 6;
    private static final int FAULT_ROUNDS = 150;
    private static final int RECOVERY_ROUNDS = 600;
    private static final long TICK_NANOS = 1_000_000;
    /** Rounds after convergence within which every operation has ended: beyond every deadline a client sets. */
    private static final int ENDING_ROUNDS = 60;

    /**
     * One seed in this many has followers forward proposals and reads to the leader (their clients' operations are
     * then checked through forwarding); the others refuse them, as a client of a member that does not lead would be
     * told. Forwarding roughly doubles a seed's cost (more operations succeed, more outcomes stay unknown).
     */
    private static final int FORWARDING_SEEDS = 4;

    private final long seed;
    private final Path directory;
    private final SplittableRandom random;
    private final StreamerModel network;
    private final long[] now = {0};
    private final Map<Long, Integer> appliedAt = new HashMap<>();
    private final Map<Long, String> leaderOfTerm = new HashMap<>();
    /** Every operation issued; those that certainly took no effect are left out of the checked history. */
    private final List<Op> ops = new ArrayList<>();

    private final List<Node> nodes = new ArrayList<>();
    /** The paused member, or {@code null}, and the round it resumes. */
    private Node paused;
    /**
     * Whether the pause broke the paused member's connections, as its peers' idle timeout does during a long
     * SIGSTOP: what was sent to it is lost, and it resumes hearing nothing until they reconnect. Otherwise what was
     * sent waits in the connections and reaches it as it resumes.
     */
    private boolean pauseResets;

    private long resumeRound;
    private final boolean[] busy = new boolean[CLIENTS];
    private long round;
    private long nextValue;
    private int restarts;
    private int restartsFromSnapshot;
    /** Members started at least once, and those of them crashed and not restarted yet. */
    private final Set<String> joined = new HashSet<>();

    private final Set<String> crashed = new HashSet<>();
    /** The membership change under way, or {@code null}. */
    private CompletableFuture<Long> change;
    /** A leader and a learner split off from the other voters, or {@code null}; and when. */
    private Set<String> split;

    private long splitRound;
    /** The highest commit index on the split-off side once what arrived before the split was taken, or -1. */
    private long splitCommit;
    /** Per leader: its term and the members its membership left out at the last two ends of a step. */
    private final Map<String, Excluded> excluded = new HashMap<>();

    private final Map<String, Long> counts = new java.util.TreeMap<>();
    /** Restarts that install a received snapshot, run between duty cycles. */
    private final java.util.ArrayDeque<Runnable> installRestarts = new java.util.ArrayDeque<>();

    /** The members a leader's membership left out at two ends of a step in a row, in one term. */
    private record Excluded(long term, Set<String> last, Set<String> stable) {}

    /** What a run checked. */
    record Result(int operations, int restarts, int restartsFromSnapshot, Map<String, Long> events) {}

    /** One client operation as issued; {@code returned} is -1 while its outcome is unknown. */
    private static final class Op {
        final int client;
        final int key;
        final OpKind kind;
        final long input;
        final long expected;
        final long invoked;
        long output;
        long returned = -1;
        boolean noEffect;
        /** How often the operation's callback heard an outcome: exactly once in the end. */
        int ends;

        Op(int client, int key, OpKind kind, long input, long expected, long invoked) {
            this.client = client;
            this.key = key;
            this.kind = kind;
            this.input = input;
            this.expected = expected;
            this.invoked = invoked;
        }
    }

    /** One member. */
    private record Node(
            String id,
            LocalStorage storage,
            RegisterMachine machine,
            DeterministicAgentScheduler scheduler,
            GroupMember<RegisterOp> group) {}

    AgentSimulation(long seed, Path directory) {
        this.seed = seed;
        this.directory = directory;
        this.random = new SplittableRandom(seed);
        this.network = new StreamerModel(transport(random), random.split());
    }

    /**
     * The transport of this seed: most seeds with the streamer's default window and send buffer, the others with a
     * small window (credit runs out, AppendEntries are refused until it returns), a small send buffer (every kind of
     * message is refused while it is full) or a slow link; always some breaks with reconnect gaps, some frames an
     * inbox refuses and, in half the seeds, records with a flipped byte.
     */
    private static StreamerModel.Settings transport(SplittableRandom random) {
        final int shape = random.nextInt(4);
        final int windowEntries = shape == 1 ? 4 + random.nextInt(28) : 8192;
        final int windowBytes = shape == 1 ? 512 + random.nextInt(4096) : 16 << 20;
        final int sendBuffer = shape == 2 ? 256 + random.nextInt(2048) : 8 << 20;
        final int rate = shape == 3 ? 256 + random.nextInt(1024) : 1 << 20;
        return new StreamerModel.Settings(
                windowEntries,
                windowBytes,
                sendBuffer,
                rate,
                0.02,
                random.nextBoolean() ? 0.02 : 0,
                0.0005 + random.nextDouble() * 0.002,
                40);
    }

    /** Runs the simulation. */
    Result run() throws IOException {
        final var members = new ArrayList<Member>();
        for (int i = 1; i <= VOTERS; i++) {
            members.add(Member.voter("m" + i, ""));
        }
        final var membership = new Membership(members);
        // Half the seeds snapshot often and keep few entries behind: a restart recovers from a snapshot and a member
        // behind needs InstallSnapshot. A quarter run with the smallest slot ring, often full.
        final boolean compacting = random.nextBoolean();
        final long interval = compacting ? 8 + random.nextInt(16) : 50;
        final long kept = compacting ? random.nextInt(6) : 1_000_000;
        final int slots = random.nextInt(4) == 0 ? 16 : 64;
        try {
            for (int i = 1; i <= MEMBERS; i++) {
                final String id = "m" + i;
                // The joining member is configured as the operator adds it: among the members, not voting.
                final Membership bootstrap = i <= VOTERS ? membership : membership.with(Member.learner(id, ""));
                final var settings = new GroupSettings(
                                "g", id, bootstrap, Durability.NONE, TICK_NANOS, 10, 1, slots, interval, kept)
                        .withForwardToLeader(seed % FORWARDING_SEEDS == 0);
                final var machine = new RegisterMachine(id, KEYS, appliedAt);
                final var storage = new LocalStorage(directory.resolve(id), LocalStorage.SMALL_SEGMENTS);
                final var scheduler = new DeterministicAgentScheduler(random.nextLong());
                final var group =
                        new GroupMember<>(settings, machine, RegisterOp.CODEC, scheduler, () -> now[0], random.split());
                group.installRestarts = installRestarts::add; // run between duty cycles, on this thread
                nodes.add(new Node(id, storage, machine, scheduler, group));
            }
            for (int i = 0; i < VOTERS; i++) {
                start(nodes.get(i));
            }
            for (round = 0; round < FAULT_ROUNDS; round++) {
                step();
                injectFaults();
                issueOperations();
            }
            network.heal();
            split = null;
            if (paused != null) {
                resume();
            }
            for (Node node : nodes) {
                if (crashed.contains(node.id())) {
                    start(node);
                }
            }
            final long deadline = round + RECOVERY_ROUNDS;
            while (!converged()) {
                if (round++ >= deadline) {
                    throw new AssertionError("seed " + seed + ": the group did not converge within " + RECOVERY_ROUNDS
                            + " rounds after the faults stopped: " + describe());
                }
                step();
            }
            for (int i = 0; i < ENDING_ROUNDS; i++) {
                step();
            }
            checkEveryOperationEnded();
            final History history = new History();
            for (Op op : ops) {
                if (!op.noEffect) {
                    final int id = history.invoke(op.client, "k" + op.key, op.kind, op.input, op.expected, op.invoked);
                    if (op.returned >= 0) {
                        history.complete(id, op.output, op.returned);
                    }
                }
            }
            final CheckResult result = LinearizabilityChecker.check(history.operations());
            if (!result.linearizable()) {
                throw new AssertionError("seed " + seed + ": history not linearizable on key " + result.key() + ": "
                        + result.explanation());
            }
            for (Node node : nodes) {
                node.group().stop();
            }
            if (network.unreleased != 0) {
                throw new AssertionError("seed " + seed + ": " + network.unreleased + " received frames never released"
                        + " by their group, whose credit would never return");
            }
            return new Result(history.operations().size(), restarts, restartsFromSnapshot, events());
        } finally {
            for (Node node : nodes) {
                node.group().stop();
            }
            for (Node node : nodes) {
                node.scheduler().close();
                node.storage().close();
            }
        }
    }

    private void start(Node node) throws IOException {
        if (joined.contains(node.id())) {
            restarts++;
            if (node.storage().snapshots.latest("g").isPresent()) {
                restartsFromSnapshot++;
            }
        }
        joined.add(node.id());
        crashed.remove(node.id());
        network.restart(node.id());
        node.group().start(node.storage().journals, node.storage().snapshots, network.streamer(node.id()));
    }

    private void resume() {
        if (pauseResets && !crashed.contains(paused.id())) {
            network.restart(paused.id()); // its peers reconnect after their gap
        }
        paused = null;
        pauseResets = false;
    }

    /** One tick of time, with enough duty cycles for the agents of the members not paused to pass work along. */
    private void step() {
        now[0] += TICK_NANOS;
        if (paused != null && round >= resumeRound) {
            resume();
        }
        for (int i = 0; i < 4; i++) {
            for (Node node : nodes) {
                if (node != paused) {
                    node.scheduler().runRound();
                }
            }
            network.deliver(paused == null ? null : paused.id());
            while (!installRestarts.isEmpty()) {
                installRestarts.poll().run();
                count("restarts to install a snapshot");
            }
        }
        for (Node node : nodes) {
            if (node.group().role() == GroupRole.LEADER) {
                final String before = leaderOfTerm.putIfAbsent(node.group().term(), node.id());
                if (before != null && !before.equals(node.id())) {
                    throw new AssertionError("seed " + seed + ": two leaders in term "
                            + node.group().term() + ": " + before + " and " + node.id());
                }
            }
        }
        checkNoGroupFailed();
        checkLearnersNeverCampaign();
        checkNoStrangerAsked();
        checkSplitSideCommitsNothing();
    }

    /** A bad frame, a full slot ring, a lost message is refused or waited out, never fatal to a group. */
    private void checkNoGroupFailed() {
        for (Node node : nodes) {
            if (!node.scheduler().errors().isEmpty()) {
                throw new AssertionError("seed " + seed + ": an agent of " + node.id() + " failed by round " + round
                        + ": " + node.scheduler().errors());
            }
            if (joined.contains(node.id())
                    && !crashed.contains(node.id())
                    && !node.group().isAvailable()) {
                throw new AssertionError("seed " + seed + ": " + node.id() + " failed in round " + round + ": "
                        + node.group().health().cause());
            }
        }
    }

    /** A member its own membership names as a learner never campaigns nor leads. */
    private void checkLearnersNeverCampaign() {
        for (Node node : nodes) {
            final GroupRole role = node.group().role();
            if ((role == GroupRole.CANDIDATE || role == GroupRole.LEADER)
                    && node.group()
                            .membership()
                            .member(node.id())
                            .map(member -> !member.voting())
                            .orElse(false)) {
                throw new AssertionError("seed " + seed + ": learner " + node.id() + " is " + role + " in round "
                        + round + ": " + describe());
            }
        }
    }

    /**
     * A leader asks (AppendEntries, InstallSnapshot) only the members of its membership: a member its membership left
     * out at the ends of this step and of the two before, in one term, was sent nothing during this step.
     */
    private void checkNoStrangerAsked() {
        final Map<String, Integer> asks = network.takeAsks();
        for (Node node : nodes) {
            if (node.group().role() != GroupRole.LEADER) {
                excluded.remove(node.id());
                continue;
            }
            final Set<String> now = new HashSet<>();
            for (Node other : nodes) {
                if (!node.group().membership().contains(other.id())) {
                    now.add(other.id());
                }
            }
            final Excluded before = excluded.get(node.id());
            final Set<String> stable = new HashSet<>(now);
            if (before == null || before.term() != node.group().term()) {
                stable.clear();
            } else {
                stable.retainAll(before.last());
                for (String stranger : before.stable()) {
                    final Integer times = asks.get(node.id() + ">" + stranger);
                    if (times != null && now.contains(stranger)) {
                        throw new AssertionError("seed " + seed + ": leader " + node.id() + " asked " + stranger
                                + ", not among its members, " + times + " times in round " + round + ": " + describe());
                    }
                }
            }
            excluded.put(node.id(), new Excluded(node.group().term(), now, stable));
        }
    }

    /**
     * A leader split off with a learner from the other voters commits nothing: the learner's acknowledgement does
     * not count toward a quorum. Once what arrived before the split was taken (three steps), no member of the side
     * goes beyond the highest commit index on the side then.
     */
    private void checkSplitSideCommitsNothing() {
        if (split == null) {
            return;
        }
        if (splitCommit < 0 && paused != null && split.contains(paused.id())) {
            // A paused member takes what reached it before the split (acknowledgements in its inbox) only once it
            // runs again: the side's commit is taken three rounds after it resumed, not while it cannot work.
            splitRound = round;
            return;
        }
        if (round < splitRound + 3) {
            return;
        }
        long highest = 0;
        for (Node node : nodes) {
            if (split.contains(node.id())) {
                highest = Math.max(highest, node.group().commitIndex());
            }
        }
        if (splitCommit < 0) {
            splitCommit = highest;
        } else if (highest > splitCommit) {
            throw new AssertionError("seed " + seed + ": the side of a split " + split + " without a quorum of"
                    + " voters committed up to " + highest + " (" + splitCommit + " when split in round " + splitRound
                    + "): " + describe());
        }
    }

    private void injectFaults() throws IOException {
        final double dice = random.nextDouble();
        if (dice < 0.01) {
            final Node node = nodes.get(random.nextInt(MEMBERS));
            network.isolate(node.id());
            if (split != null && split.contains(node.id())) {
                split = null; // the side lost a member: its commit may be taken again when it is healed
            }
        } else if (dice < 0.03) {
            network.heal();
            split = null;
        } else if (dice < 0.04) {
            final Node node = nodes.get(random.nextInt(MEMBERS));
            if (joined.contains(node.id()) && !crashed.contains(node.id()) && joined.size() - crashed.size() > 1) {
                network.crash(node.id()); // a process crash: a NONE journal keeps everything written
                node.group().stop();
                crashed.add(node.id());
            }
        } else if (dice < 0.07) {
            for (Node node : nodes) {
                if (crashed.contains(node.id())) {
                    start(node);
                    break;
                }
            }
        } else if (dice < 0.08 && paused == null) {
            paused = nodes.get(random.nextInt(MEMBERS)); // beyond the election timeout, often
            resumeRound = round + 5 + random.nextInt(30);
            pauseResets = random.nextBoolean() && !crashed.contains(paused.id());
            if (pauseResets) {
                network.crash(paused.id());
                count("pauses that broke the paused member's connections");
            }
        } else if (dice < 0.09) {
            changeMembership();
        } else if (dice < 0.095) {
            transferLeadership();
        } else if (dice < 0.10) {
            splitLeaderWithLearner();
        } else if (dice < 0.103) {
            final Node node = nodes.get(random.nextInt(MEMBERS));
            node.group().snapshot();
            count("snapshots asked for");
        }
    }

    private void count(String event) {
        counts.merge(event, 1L, Long::sum);
    }

    private Node leader() {
        for (Node node : nodes) {
            if (node.group().role() == GroupRole.LEADER) {
                return node;
            }
        }
        return null;
    }

    /**
     * One single-server change through the leader, when none is under way: adds a member outside the membership as
     * a learner (starting it if it never ran), promotes a learner or removes it, or removes a voter (the leader
     * included) while more than three vote. A removed member keeps running, unasked.
     */
    private void changeMembership() throws IOException {
        final Node leader = leader();
        if (leader == null || (change != null && !change.isDone()) || split != null) {
            return;
        }
        final Membership current = leader.group().membership();
        final List<Node> outside =
                nodes.stream().filter(node -> !current.contains(node.id())).toList();
        final List<Member> learners =
                current.members().stream().filter(member -> !member.voting()).toList();
        final Membership next;
        if (!outside.isEmpty() && random.nextBoolean()) {
            final Node joining = outside.get(random.nextInt(outside.size()));
            if (!joined.contains(joining.id()) || crashed.contains(joining.id())) {
                start(joining);
            }
            next = current.with(Member.learner(joining.id(), ""));
            count("learners added");
        } else if (!learners.isEmpty()) {
            final Member learner = learners.get(random.nextInt(learners.size()));
            if (random.nextInt(3) == 0) {
                next = current.without(learner.id());
                count("learners removed");
            } else {
                next = current.with(learner.withVoting(true));
                count("learners promoted");
            }
        } else if (current.voters().size() > VOTERS) {
            final List<Member> voters = current.voters();
            next = current.without(voters.get(random.nextInt(voters.size())).id());
            count("voters removed");
        } else {
            return;
        }
        change = leader.group().changeMembership(next).toCompletableFuture();
        change.whenComplete(
                (index, error) -> count(error == null ? "membership changes committed" : "membership changes failed"));
    }

    private void transferLeadership() {
        final Node leader = leader();
        if (leader == null) {
            return;
        }
        final List<Member> voters = leader.group().membership().voters().stream()
                .filter(member -> !member.id().equals(leader.id()))
                .toList();
        if (!voters.isEmpty()) {
            leader.group()
                    .transferLeadership(
                            voters.get(random.nextInt(voters.size())).id());
            count("leadership transfers asked for");
        }
    }

    /** Splits the leader and a running learner off from the voters, when no membership change is under way. */
    private void splitLeaderWithLearner() {
        final Node leader = leader();
        if (leader == null || split != null || (change != null && !change.isDone())) {
            return;
        }
        final Membership membership = leader.group().membership();
        final List<Member> learners = membership.members().stream()
                .filter(member -> !member.voting() && joined.contains(member.id()) && !crashed.contains(member.id()))
                .toList();
        if (learners.isEmpty() || membership.quorum() < 2) {
            return;
        }
        split = Set.of(
                leader.id(), learners.get(random.nextInt(learners.size())).id());
        splitRound = round;
        splitCommit = -1;
        network.split(split);
        count("leaders split off with a learner");
    }

    /** Every operation issued heard exactly one outcome, though the group still runs: none was lost. */
    private void checkEveryOperationEnded() {
        for (int i = 0; i < ops.size(); i++) {
            final Op op = ops.get(i);
            if (op.ends != 1) {
                throw new AssertionError("seed " + seed + ": operation " + i + " (" + op.kind + " issued in round "
                        + op.invoked + ") ended " + op.ends + " times, by round " + round + ": " + describe());
            }
        }
    }

    private void issueOperations() {
        for (int client = 0; client < CLIENTS; client++) {
            if (busy[client] || random.nextDouble() > 0.3) {
                continue;
            }
            busy[client] = true;
            final Node node = target();
            final int key = client % KEYS;
            final int kind = random.nextInt(3);
            if (kind == 0) {
                read(client, node, key);
            } else {
                final OpKind opKind = kind == 1 ? OpKind.WRITE : OpKind.CAS;
                final long input = ++nextValue;
                final long expected = opKind == OpKind.CAS ? random.nextLong(nextValue) : 0;
                final var op = new Op(client, key, opKind, input, expected, round);
                ops.add(op);
                node.group()
                        .propose(
                                new RegisterOp(ops.size() - 1, key, opKind, input, expected),
                                0,
                                java.util.concurrent.TimeUnit.NANOSECONDS,
                                new Completion(client, op));
            }
        }
    }

    /** The member a client talks to: the one that says it leads, else any. */
    private Node target() {
        for (Node node : nodes) {
            if (node.group().role() == GroupRole.LEADER && random.nextDouble() < 0.9) {
                return node;
            }
        }
        return nodes.get(random.nextInt(MEMBERS));
    }

    private void read(int client, Node node, int key) {
        final var op = new Op(client, key, OpKind.READ, 0, 0, round);
        ops.add(op);
        node.group().readBarrier(50 * TICK_NANOS, java.util.concurrent.TimeUnit.NANOSECONDS, new ReadCallback() {
            @Override
            public void readable(long readIndex) {
                op.ends++;
                op.output = node.machine().read(key);
                op.returned = round;
                busy[client] = false;
            }

            @Override
            public void failed(RaftGroupException error) {
                op.ends++;
                op.noEffect = true; // a read that failed observed nothing
                busy[client] = false;
            }
        });
    }

    /**
     * Completes a write or compare-and-set with what applying it returned. A refusal before anything was appended
     * (busy, not the leader, unavailable) had no effect; an unknown outcome stays pending.
     */
    private final class Completion implements ProposalCallback {
        private final int client;
        private final Op op;

        Completion(int client, Op op) {
            this.client = client;
            this.op = op;
        }

        @Override
        public void applied(long index, Object result) {
            op.ends++;
            busy[client] = false;
            if (result == null) {
                // A forwarded proposal this member took in with a snapshot: applied, its output unknown here, so the
                // history keeps it as one that may have taken effect at any time after its invocation.
                return;
            }
            op.output = (Long) result;
            op.returned = round;
        }

        @Override
        public void failed(RaftGroupException error) {
            op.ends++;
            op.noEffect = !(error instanceof OutcomeUnknownException);
            busy[client] = false;
        }
    }

    /** A leader is known to every member of its membership, each of which applied all it committed. */
    private boolean converged() {
        final Node leader = leader();
        if (leader == null) {
            return false;
        }
        for (Node node : nodes) {
            if (leader.group().membership().contains(node.id())
                    && (node.group().appliedIndex() != leader.group().commitIndex()
                            || !node.group().leaderId().map(leader.id()::equals).orElse(false))) {
                return false;
            }
        }
        return true;
    }

    /** What the faults did, by name, for the run's summary. */
    private Map<String, Long> events() {
        final var events = new java.util.TreeMap<String, Long>(counts);
        events.put("InstallSnapshot chunks sent", network.snapshotChunks);
        events.put("bulk frames refused without credit", network.refusedWithoutCredit);
        events.put("frames refused by a full send buffer", network.refusedFullBuffer);
        events.put("frames refused without a connection", network.refusedNoConnection);
        events.put("connection breaks", network.breaks);
        events.put("frames lost in a break", network.lostInBreaks);
        events.put("frames an inbox refused", network.refusedByInbox);
        events.put("AppendEntries with a flipped byte", network.corrupted);
        return events;
    }

    private String describe() {
        final var text = new StringBuilder();
        for (Node node : nodes) {
            text.append(node.group()).append("; ");
        }
        return text.toString();
    }
}
