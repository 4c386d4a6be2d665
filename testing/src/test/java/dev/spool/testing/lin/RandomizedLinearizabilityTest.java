package dev.spool.testing.lin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RandomizedLinearizabilityTest {
    private static final int SEEDS = 300;

    private static List<Operation> workload(long seed) {
        return new RegisterWorkload(seed, 4, 3, 0.1).generate(120);
    }

    @Test
    @DisplayName("histories of a real register run with random overlapping intervals are linearizable")
    void generatedHistoriesAreLinearizable() {
        for (long seed = 0; seed < SEEDS; seed++) {
            CheckResult result = LinearizabilityChecker.check(workload(seed));
            long s = seed;
            assertTrue(result.linearizable(), () -> "seed " + s + ": " + result.explanation());
        }
    }

    @Test
    @DisplayName("one read mutated to a value never written makes a generated history non-linearizable, on that key")
    void readOfImpossibleValueIsRejected() {
        int mutated = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            List<Operation> ops = new ArrayList<>(workload(seed));
            SplittableRandom random = new SplittableRandom(seed);
            List<Integer> reads = completedReads(ops);
            if (reads.isEmpty()) {
                continue;
            }
            assertRejectedAfterMutation(ops, reads.get(random.nextInt(reads.size())), -1 - random.nextInt(1000), seed);
            mutated++;
        }
        assertTrue(mutated > SEEDS * 9 / 10, "too few histories had a read to mutate: " + mutated);
    }

    @Test
    @DisplayName(
            "one read mutated to a value written only after it returned makes a generated history non-linearizable")
    void readOfFutureValueIsRejected() {
        int mutated = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            List<Operation> ops = new ArrayList<>(workload(seed));
            int victim = -1;
            long futureValue = 0;
            for (int r : completedReads(ops)) {
                Operation read = ops.get(r);
                for (Operation w : ops) {
                    if (w.kind() != OpKind.READ && w.key().equals(read.key()) && w.invokeTime() > read.returnTime()) {
                        victim = r;
                        futureValue = w.input();
                        break;
                    }
                }
                if (victim >= 0) {
                    break;
                }
            }
            if (victim < 0) {
                continue;
            }
            assertRejectedAfterMutation(ops, victim, futureValue, seed);
            mutated++;
        }
        assertTrue(mutated > SEEDS * 9 / 10, "too few histories had a read before a later write: " + mutated);
    }

    @Test
    @DisplayName("on tiny random histories, with pending operations, the checker agrees with exhaustive enumeration")
    void agreesWithBruteForce() {
        int linearizable = 0;
        int rejected = 0;
        for (long seed = 0; seed < 4000; seed++) {
            List<Operation> ops = tinyRandomHistory(new SplittableRandom(seed));
            boolean expected = BruteForceReference.linearizable(ops);
            CheckResult result = LinearizabilityChecker.check(ops);
            long s = seed;
            assertEquals(expected, result.linearizable(), () -> "seed " + s + ": " + ops + "\n" + result.explanation());
            if (expected) {
                linearizable++;
            } else {
                rejected++;
            }
        }
        assertTrue(
                linearizable > 400 && rejected > 400,
                "both verdicts must be well exercised: " + linearizable + " linearizable, " + rejected + " rejected");
    }

    @Test
    @DisplayName(
            "10,000 operations over 100 keys, at most 3 concurrent per key, hundreds pending: decided without hitting the limit")
    void largeHistoryStaysWithinSearchLimit() {
        List<Operation> ops = new RegisterWorkload(42, 100, 3, 0.03).generate(10_000);
        long pending = ops.stream().filter(Operation::pending).count();
        assertTrue(pending >= 200 && pending <= 500, "pending operations: " + pending);
        CheckResult result = LinearizabilityChecker.check(ops);
        assertTrue(result.linearizable(), result::explanation);
    }

    /** Up to six operations on one key with small values, random intervals and outcomes. */
    private static List<Operation> tinyRandomHistory(SplittableRandom random) {
        int size = 1 + random.nextInt(6);
        List<Operation> ops = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            OpKind kind = OpKind.values()[random.nextInt(3)];
            long invoke = random.nextInt(10);
            long ret = random.nextInt(5) == 0 ? Operation.PENDING : invoke + random.nextInt(5);
            long input = kind == OpKind.READ ? 0 : 1 + random.nextInt(2);
            long expected = kind == OpKind.CAS ? random.nextInt(3) : 0;
            long output = switch (kind) {
                case READ -> random.nextInt(3);
                case WRITE -> 0;
                case CAS -> random.nextInt(2);
            };
            ops.add(new Operation(i, "k", kind, input, expected, output, invoke, ret));
        }
        return ops;
    }

    private static List<Integer> completedReads(List<Operation> ops) {
        List<Integer> reads = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i).kind() == OpKind.READ && !ops.get(i).pending()) {
                reads.add(i);
            }
        }
        return reads;
    }

    /** Replaces the output of the read {@code ops[victim]} and asserts the history is rejected on its key. */
    private static void assertRejectedAfterMutation(List<Operation> ops, int victim, long output, long seed) {
        Operation read = ops.get(victim);
        ops.set(
                victim,
                new Operation(
                        read.client(),
                        read.key(),
                        read.kind(),
                        read.input(),
                        read.expected(),
                        output,
                        read.invokeTime(),
                        read.returnTime()));
        CheckResult result = LinearizabilityChecker.check(ops);
        assertFalse(result.linearizable(), () -> "seed " + seed + ": " + read + " mutated to see " + output);
        assertEquals(read.key(), result.key(), result.explanation());
    }
}
