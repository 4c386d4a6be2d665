package dev.spool.testing.lin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Wing–Gong search for a linearization of one key's sub-history against a register (initial value 0),
 * with Lowe's memoisation: a (set of linearized operations, register value) pair already explored is
 * never explored again, as in Knossos and Porcupine. The search is a depth-first walk with an explicit
 * stack, so a long history cannot overflow the thread's stack.
 *
 * <p>An operation may be linearized next when no other unlinearized completed operation returned
 * strictly before it was invoked. Pending operations (outcome unknown) never return, so they never hold
 * anything back; they may be linearized at any point after their invocation, or never, and the search
 * succeeds once every completed operation is placed. Three rules keep pending operations from blowing up
 * the search, each because it only drops choices that another choice dominates:
 * <ul>
 *   <li>pending READs are dropped up front: they change nothing and their output is unknown;</li>
 *   <li>a pending operation is never linearized where it would leave the value unchanged (a failed CAS,
 *       a WRITE of the current value): that is the same as not linearizing it yet, which keeps it
 *       available for later;</li>
 *   <li>of several unlinearized pending operations with the same kind and arguments (a retried request),
 *       only the earliest invoked is tried: once invoked, twins are interchangeable.</li>
 * </ul>
 *
 * <p>Single use, confined to the calling thread.
 */
final class KeySearch {

    /** How a search ended. */
    enum Verdict {
        LINEARIZABLE,
        NOT_LINEARIZABLE,
        LIMIT_EXCEEDED
    }

    /**
     * The result of one key's search.
     *
     * @param longestPrefix    the longest linearizable prefix found, in linearization order (the deepest
     *                         dead end, counted in completed operations); empty when linearizable
     * @param valueAfterPrefix the register's value after that prefix
     * @param unplaced         the completed operations outside that prefix, in invocation order
     * @param pendingOps       how many operations of the key have an unknown outcome
     */
    record Outcome(
            Verdict verdict,
            long statesExplored,
            List<Operation> longestPrefix,
            long valueAfterPrefix,
            List<Operation> unplaced,
            int completedOps,
            int pendingOps) {}

    /** Operations in search order: completed ones by invocation time, then effectful pending ones by invocation time. */
    private final Operation[] ops;
    /** {@code ops[0, completed)} are the completed operations. */
    private final int completed;

    private final int pendingOps;
    /** Indices of the completed operations, ordered by return time. */
    private final int[] byReturn;
    /** For a completed operation's index, its position in {@link #byReturn}. */
    private final int[] returnRank;

    private final long stateLimit;

    private final BitSet linearized = new BitSet();
    private long value;
    private int linearizedCompleted;
    /** Every completed operation with a smaller index is linearized. */
    private int firstOpenByInvoke;
    /** Every completed operation in {@code byReturn[0, firstOpenByReturn)} is linearized. */
    private int firstOpenByReturn;

    /** The stack of the walk: the operation linearized at each depth and the value before it. */
    private final int[] chosen;

    private final long[] valueBefore;
    private int depth;

    private final Set<Memo> explored = new HashSet<>();
    /** States entered so far; with memoisation each is distinct, so this bounds both time and memory. */
    private long statesEntered;

    private int[] scratch = new int[8];

    private int bestCompleted = -1;
    private int[] bestPrefix = new int[0];
    private long bestValue;

    private KeySearch(List<Operation> keyOps, long stateLimit) {
        Comparator<Operation> byInvoke = Comparator.comparingLong(Operation::invokeTime);
        List<Operation> done =
                keyOps.stream().filter(op -> !op.pending()).sorted(byInvoke).toList();
        List<Operation> open = keyOps.stream().filter(Operation::pending).toList();
        List<Operation> effectful = open.stream()
                .filter(op -> op.kind() != OpKind.READ)
                .sorted(byInvoke)
                .toList();
        this.completed = done.size();
        this.pendingOps = open.size();
        this.ops = new Operation[completed + effectful.size()];
        for (int i = 0; i < completed; i++) {
            ops[i] = done.get(i);
        }
        for (int i = 0; i < effectful.size(); i++) {
            ops[completed + i] = effectful.get(i);
        }
        this.byReturn = IntStream.range(0, completed)
                .boxed()
                .sorted(Comparator.comparingLong(i -> ops[i].returnTime()))
                .mapToInt(Integer::intValue)
                .toArray();
        this.returnRank = new int[completed];
        for (int rank = 0; rank < completed; rank++) {
            returnRank[byReturn[rank]] = rank;
        }
        this.stateLimit = stateLimit;
        this.chosen = new int[ops.length];
        this.valueBefore = new long[ops.length];
    }

    /** Searches a linearization of {@code keyOps}, all on one key, exploring at most {@code stateLimit} states. */
    static Outcome search(List<Operation> keyOps, long stateLimit) {
        return new KeySearch(keyOps, stateLimit).run();
    }

    private Outcome run() {
        int from = 0;
        while (linearizedCompleted < completed) {
            long horizon = ops[byReturn[firstOpenByReturn]].returnTime();
            if (stepFrom(from, horizon)) {
                if (statesEntered > stateLimit) {
                    recordDeadEnd();
                    return failure(Verdict.LIMIT_EXCEEDED);
                }
                from = 0;
                continue;
            }
            recordDeadEnd();
            if (depth == 0) {
                return failure(Verdict.NOT_LINEARIZABLE);
            }
            from = undo() + 1;
        }
        return new Outcome(Verdict.LINEARIZABLE, statesEntered, List.of(), value, List.of(), completed, pendingOps);
    }

    /**
     * Linearizes the first candidate at index {@code from} or later that the register accepts and that
     * leads to an unexplored state. Candidates are the unlinearized operations invoked no later than
     * {@code horizon}, the earliest return time of an unlinearized completed operation.
     */
    private boolean stepFrom(int from, long horizon) {
        for (int i = Math.max(from, firstOpenByInvoke); i < completed && ops[i].invokeTime() <= horizon; i++) {
            if (!linearized.get(i) && tryLinearize(i)) {
                return true;
            }
        }
        for (int i = Math.max(from, completed); i < ops.length && ops[i].invokeTime() <= horizon; i++) {
            if (!linearized.get(i) && !hasEarlierOpenTwin(i) && tryLinearize(i)) {
                return true;
            }
        }
        return false;
    }

    private boolean tryLinearize(int i) {
        Operation op = ops[i];
        long after;
        switch (op.kind()) {
            case READ -> {
                if (value != op.output()) {
                    return false;
                }
                after = value;
            }
            case WRITE -> after = op.input();
            case CAS -> {
                boolean matches = value == op.expected();
                if (!op.pending() && matches != (op.output() == 1)) {
                    return false;
                }
                after = matches ? op.input() : value;
            }
            default -> throw new IllegalStateException("unknown operation kind " + op.kind());
        }
        if (op.pending() && after == value) {
            return false;
        }
        mark(i);
        if (!explored.add(memo(after))) {
            unmark(i);
            return false;
        }
        statesEntered++;
        chosen[depth] = i;
        valueBefore[depth] = value;
        depth++;
        value = after;
        return true;
    }

    /** Pops the deepest linearized operation and returns its index. */
    private int undo() {
        depth--;
        int i = chosen[depth];
        value = valueBefore[depth];
        unmark(i);
        return i;
    }

    private boolean hasEarlierOpenTwin(int i) {
        Operation op = ops[i];
        for (int k = completed; k < i; k++) {
            Operation other = ops[k];
            if (!linearized.get(k)
                    && other.kind() == op.kind()
                    && other.input() == op.input()
                    && other.expected() == op.expected()) {
                return true;
            }
        }
        return false;
    }

    private void mark(int i) {
        linearized.set(i);
        if (i < completed) {
            linearizedCompleted++;
            while (firstOpenByInvoke < completed && linearized.get(firstOpenByInvoke)) {
                firstOpenByInvoke++;
            }
            while (firstOpenByReturn < completed && linearized.get(byReturn[firstOpenByReturn])) {
                firstOpenByReturn++;
            }
        }
    }

    private void unmark(int i) {
        linearized.clear(i);
        if (i < completed) {
            linearizedCompleted--;
            firstOpenByInvoke = Math.min(firstOpenByInvoke, i);
            firstOpenByReturn = Math.min(firstOpenByReturn, returnRank[i]);
        }
    }

    /**
     * The memo key of the current linearized set with register value {@code after}: the set is every
     * completed operation below {@link #firstOpenByInvoke} plus the few linearized operations above it,
     * so the key stays small however long the history is.
     */
    private Memo memo(long after) {
        int count = 0;
        for (int i = linearized.nextSetBit(firstOpenByInvoke); i >= 0; i = linearized.nextSetBit(i + 1)) {
            if (count == scratch.length) {
                scratch = Arrays.copyOf(scratch, count * 2);
            }
            scratch[count++] = i;
        }
        return new Memo(firstOpenByInvoke, Arrays.copyOf(scratch, count), after);
    }

    private void recordDeadEnd() {
        if (linearizedCompleted > bestCompleted) {
            bestCompleted = linearizedCompleted;
            bestPrefix = Arrays.copyOf(chosen, depth);
            bestValue = value;
        }
    }

    private Outcome failure(Verdict verdict) {
        List<Operation> prefix = new ArrayList<>(bestPrefix.length);
        BitSet placed = new BitSet();
        for (int i : bestPrefix) {
            prefix.add(ops[i]);
            placed.set(i);
        }
        List<Operation> unplaced = new ArrayList<>();
        for (int i = placed.nextClearBit(0); i < completed; i = placed.nextClearBit(i + 1)) {
            unplaced.add(ops[i]);
        }
        return new Outcome(verdict, statesEntered, prefix, bestValue, unplaced, completed, pendingOps);
    }

    /** An explored search state: which operations are linearized, and the register's value after them. */
    private record Memo(int allBelow, int[] alsoLinearized, long value) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Memo m
                    && allBelow == m.allBelow
                    && value == m.value
                    && Arrays.equals(alsoLinearized, m.alsoLinearized);
        }

        @Override
        public int hashCode() {
            return (31 * allBelow + Arrays.hashCode(alsoLinearized)) * 31 + Long.hashCode(value);
        }
    }
}
