package dev.spool.raft.group;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.group.GroupRole;
import dev.spool.api.group.OutcomeUnknownException;
import dev.spool.api.group.ProposalCallback;
import dev.spool.api.group.RaftGroupException;
import dev.spool.api.group.ReadCallback;
import dev.spool.api.journal.Durability;
import dev.spool.raft.pipeline.DeterministicAgentScheduler;
import dev.spool.testing.lin.CheckResult;
import dev.spool.testing.lin.History;
import dev.spool.testing.lin.LinearizabilityChecker;
import dev.spool.testing.lin.OpKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One seeded run of three real group members — their core, log and apply agents on a
 * {@link DeterministicAgentScheduler} per member, their journals and snapshot stores on disk, an in-process network
 * that loses messages (forwarding frames included), some refused by the sender's link as a full send buffer would,
 * some lost after the link took them as a reconnect would — under faults: partitions that isolate a member, pauses
 * (a member's agents do not run while the clock moves on, as under SIGSTOP), process crashes and restarts (stop and
 * start from what is on disk). Clients write, compare-and-set and read (through read barriers) three registers,
 * mostly through the leader, sometimes through another member (which forwards to the leader in one seed of
 * {@value #FORWARDING_SEEDS}). Checked: at most one leader per term after every round; no two members apply
 * different operations at one index, across restarts (the state machines report every apply); once the faults stop,
 * the group converges within a bounded number of rounds; every operation ends exactly once (applied, readable or
 * failed) within {@value #ENDING_ROUNDS} rounds after convergence, without stopping the group; the whole client
 * history is linearizable. A failure names the seed.
 */
final class AgentSimulation {

    private static final int MEMBERS = 3;
    private static final int KEYS = 3;
    private static final int CLIENTS = 6;
    private static final int FAULT_ROUNDS = 300;
    private static final int RECOVERY_ROUNDS = 600;
    private static final long TICK_NANOS = 1_000_000;
    /** Rounds after convergence within which every operation has ended: beyond every deadline a client sets. */
    private static final int ENDING_ROUNDS = 100;

    /**
     * One seed in this many has followers forward proposals and reads to the leader (their clients' operations are
     * then checked through forwarding); the others refuse them, as a client of a member that does not lead would be
     * told. Forwarding roughly doubles a seed's cost (more operations succeed, more outcomes stay unknown).
     */
    private static final int FORWARDING_SEEDS = 4;

    private final long seed;
    private final Path directory;
    private final SplittableRandom random;
    private final InProcessNetwork network;
    private final long[] now = {0};
    private final Map<Long, Integer> appliedAt = new HashMap<>();
    private final Map<Long, String> leaderOfTerm = new HashMap<>();
    /** Every operation issued; those that certainly took no effect are left out of the checked history. */
    private final List<Op> ops = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    /** The paused member, or {@code null}, and the round it resumes. */
    private Node paused;
    private long resumeRound;
    private final boolean[] busy = new boolean[CLIENTS];
    private long round;
    private long nextValue;
    private int restarts;
    private int restartsFromSnapshot;

    /** What a run checked. */
    record Result(int operations, int restarts, int restartsFromSnapshot) {
    }

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
    private record Node(String id, LocalStorage storage, RegisterMachine machine, DeterministicAgentScheduler scheduler,
                        GroupMember<RegisterOp> group) {
    }

    AgentSimulation(long seed, Path directory) {
        this.seed = seed;
        this.directory = directory;
        this.random = new SplittableRandom(seed);
        this.network = new InProcessNetwork(random.split(), 0.05, 0.5);
    }

    /** Runs the simulation. */
    Result run() throws IOException {
        final var members = new ArrayList<Member>();
        for (int i = 1; i <= MEMBERS; i++) {
            members.add(Member.voter("m" + i, ""));
        }
        final var membership = new Membership(members);
        try {
            for (Member member : members) {
                // Snapshots every 50 entries, restored at every restart; the journal keeps every entry, because a
                // member behind a leader's journal would need the snapshot installed, which this version does not
                // do (docs/raft-actor.md, known limits).
                final var settings = new GroupSettings("g", member.id(), membership, Durability.NONE, TICK_NANOS, 10,
                    1, 64, 50, 1_000_000).withForwardToLeader(seed % FORWARDING_SEEDS == 0);
                final var machine = new RegisterMachine(member.id(), KEYS, appliedAt);
                final var storage = new LocalStorage(directory.resolve(member.id()), LocalStorage.SMALL_SEGMENTS);
                final var scheduler = new DeterministicAgentScheduler(random.nextLong());
                nodes.add(new Node(member.id(), storage, machine, scheduler, new GroupMember<>(settings, machine,
                    RegisterOp.CODEC, scheduler, () -> now[0], random.split())));
            }
            for (Node node : nodes) {
                start(node);
            }
            for (round = 0; round < FAULT_ROUNDS; round++) {
                step();
                injectFaults();
                issueOperations();
            }
            network.heal();
            paused = null;
            for (Node node : nodes) {
                if (!node.group().isAvailable()) {
                    start(node);
                }
            }
            final long deadline = round + RECOVERY_ROUNDS;
            while (!converged()) {
                if (round++ >= deadline) {
                    throw new AssertionError("seed " + seed + ": the group did not converge within "
                        + RECOVERY_ROUNDS + " rounds after the faults stopped: " + describe());
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
                    final int id = history.invoke(op.client, "k" + op.key, op.kind, op.input, op.expected,
                        op.invoked);
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
            return new Result(history.operations().size(), restarts, restartsFromSnapshot);
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
        if (round > 0) {
            restarts++;
            if (node.storage().snapshots.latest("g").isPresent()) {
                restartsFromSnapshot++;
            }
        }
        node.group().start(node.storage().journals, node.storage().snapshots, network.streamer());
    }

    /** One tick of time, with enough duty cycles for the agents of the members not paused to pass work along. */
    private void step() {
        now[0] += TICK_NANOS;
        if (paused != null && round >= resumeRound) {
            paused = null;
        }
        for (int i = 0; i < 4; i++) {
            for (Node node : nodes) {
                if (node != paused) {
                    node.scheduler().runRound();
                }
            }
        }
        for (Node node : nodes) {
            if (node.group().role() == GroupRole.LEADER) {
                final String before = leaderOfTerm.putIfAbsent(node.group().term(), node.id());
                if (before != null && !before.equals(node.id())) {
                    throw new AssertionError("seed " + seed + ": two leaders in term " + node.group().term() + ": "
                        + before + " and " + node.id());
                }
            }
        }
    }

    private void injectFaults() throws IOException {
        final double dice = random.nextDouble();
        if (dice < 0.01) {
            network.isolate(nodes.get(random.nextInt(MEMBERS)).id());
        } else if (dice < 0.03) {
            network.heal();
        } else if (dice < 0.04) {
            final Node node = nodes.get(random.nextInt(MEMBERS));
            if (node.group().isAvailable() && nodes.stream().filter(n -> n.group().isAvailable()).count() > 1) {
                node.group().stop(); // a process crash: a NONE journal keeps everything written
            }
        } else if (dice < 0.07) {
            for (Node node : nodes) {
                if (!node.group().isAvailable()) {
                    start(node);
                    break;
                }
            }
        } else if (dice < 0.08 && paused == null) {
            paused = nodes.get(random.nextInt(MEMBERS)); // beyond the election timeout, often
            resumeRound = round + 5 + random.nextInt(30);
        }
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
                node.group().propose(new RegisterOp(ops.size() - 1, key, opKind, input, expected), 0,
                    java.util.concurrent.TimeUnit.NANOSECONDS, new Completion(client, op));
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
            op.output = (Long) result;
            op.returned = round;
            busy[client] = false;
        }

        @Override
        public void failed(RaftGroupException error) {
            op.ends++;
            op.noEffect = !(error instanceof OutcomeUnknownException);
            busy[client] = false;
        }
    }

    private boolean converged() {
        Node leader = null;
        for (Node node : nodes) {
            if (node.group().role() == GroupRole.LEADER) {
                leader = node;
            }
        }
        if (leader == null) {
            return false;
        }
        for (Node node : nodes) {
            if (node.group().appliedIndex() != leader.group().commitIndex()
                || !node.group().leaderId().map(leader.id()::equals).orElse(false)) {
                return false;
            }
        }
        return true;
    }

    private String describe() {
        final var text = new StringBuilder();
        for (Node node : nodes) {
            text.append(node.group()).append("; ");
        }
        return text.toString();
    }
}
