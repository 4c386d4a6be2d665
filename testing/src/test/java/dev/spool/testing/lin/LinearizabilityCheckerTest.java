package dev.spool.testing.lin;

import static dev.spool.testing.lin.Ops.cas;
import static dev.spool.testing.lin.Ops.pendingCas;
import static dev.spool.testing.lin.Ops.pendingRead;
import static dev.spool.testing.lin.Ops.pendingWrite;
import static dev.spool.testing.lin.Ops.read;
import static dev.spool.testing.lin.Ops.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {

    private static CheckResult check(Operation... ops) {
        return LinearizabilityChecker.check(List.of(ops));
    }

    private static void assertLinearizable(Operation... ops) {
        CheckResult result = check(ops);
        assertTrue(result.linearizable(), result::explanation);
        assertNull(result.key());
    }

    private static CheckResult assertNotLinearizable(String key, Operation... ops) {
        CheckResult result = check(ops);
        assertFalse(result.linearizable(), "expected a violation on key " + key);
        assertEquals(key, result.key(), result.explanation());
        assertTrue(result.explanation().startsWith("key '" + key + "' is not linearizable"), result.explanation());
        return result;
    }

    /** {@code writers} concurrent writes of distinct values, then a read of a value none wrote: 2^writers states to refute. */
    private static List<Operation> concurrentWritesThenImpossibleRead(String key, int writers) {
        List<Operation> ops = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            ops.add(write(i, key, i + 1, 0, 100));
        }
        ops.add(read(writers, key, -1, 200, 201));
        return ops;
    }

    @Test
    @DisplayName("an empty history and a lone read of the initial value 0 are linearizable")
    void emptyAndInitialValue() {
        assertLinearizable();
        assertLinearizable(read(0, "k", 0, 0, 1));
    }

    @Test
    @DisplayName("a sequential history that follows a register is linearizable")
    void sequentialHistory() {
        assertLinearizable(
                write(0, "k", 1, 0, 1),
                read(1, "k", 1, 2, 3),
                write(1, "k", 2, 4, 5),
                cas(0, "k", 2, 3, true, 6, 7),
                cas(1, "k", 2, 4, false, 8, 9),
                read(0, "k", 3, 10, 11));
    }

    @Test
    @DisplayName("a sequential history whose read disagrees with the preceding write is not linearizable")
    void sequentialHistoryWithWrongRead() {
        assertNotLinearizable("k", write(0, "k", 1, 0, 1), write(0, "k", 2, 2, 3), read(1, "k", 1, 4, 5));
    }

    @Test
    @DisplayName("reads overlapping two concurrent writes may see either value, in either order")
    void concurrentWritesReadsSeeEither() {
        assertLinearizable(
                write(0, "k", 1, 0, 10), write(1, "k", 2, 0, 10), read(2, "k", 2, 1, 2), read(2, "k", 1, 3, 4));
        assertLinearizable(
                write(0, "k", 1, 0, 10), write(1, "k", 2, 0, 10), read(2, "k", 1, 1, 2), read(2, "k", 2, 3, 4));
    }

    @Test
    @DisplayName("once both concurrent writes completed, sequential reads cannot flip between their values")
    void readsAfterConcurrentWritesCannotFlip() {
        assertNotLinearizable(
                "k",
                write(0, "k", 1, 0, 10),
                write(1, "k", 2, 0, 10),
                read(2, "k", 1, 11, 12),
                read(2, "k", 2, 13, 14));
    }

    @Test
    @DisplayName("a read after a completed write that returns the older value is stale: not linearizable")
    void staleReadAfterCompletedWrite() {
        assertNotLinearizable("k", write(0, "k", 1, 0, 5), write(0, "k", 2, 6, 10), read(1, "k", 1, 11, 12));
    }

    @Test
    @DisplayName("a read concurrent with the overwriting write may still see the older value")
    void readConcurrentWithOverwriteMaySeeOldValue() {
        assertLinearizable(write(0, "k", 1, 0, 5), write(0, "k", 2, 6, 10), read(1, "k", 1, 7, 12));
    }

    @Test
    @DisplayName("a read of a value nobody wrote is not linearizable")
    void readOfValueNeverWritten() {
        assertNotLinearizable("k", write(0, "k", 1, 0, 5), read(1, "k", 7, 2, 8));
    }

    @Test
    @DisplayName("an operation returning at the instant another is invoked is concurrent with it")
    void touchingIntervalsAreConcurrent() {
        assertLinearizable(write(0, "k", 1, 0, 5), read(1, "k", 0, 5, 6));
        assertNotLinearizable("k", write(0, "k", 1, 0, 5), read(1, "k", 0, 6, 7));
    }

    @Test
    @DisplayName("a CAS succeeds exactly when the value matches its expected value")
    void casSuccessAndFailure() {
        assertLinearizable(
                write(0, "k", 1, 0, 1),
                cas(0, "k", 1, 2, true, 2, 3),
                cas(1, "k", 1, 3, false, 4, 5),
                read(1, "k", 2, 6, 7));
        assertNotLinearizable("k", write(0, "k", 1, 0, 1), cas(0, "k", 5, 2, true, 2, 3));
        assertNotLinearizable("k", write(0, "k", 1, 0, 1), cas(0, "k", 1, 2, false, 2, 3));
        assertNotLinearizable("k", cas(0, "k", 0, 2, true, 0, 1), read(0, "k", 0, 2, 3));
    }

    @Test
    @DisplayName("of two concurrent CASes from the same expected value at most one succeeds; a chain may both succeed")
    void concurrentCas() {
        assertNotLinearizable("k", cas(0, "k", 0, 1, true, 0, 10), cas(1, "k", 0, 2, true, 0, 10));
        assertLinearizable(cas(0, "k", 0, 1, true, 0, 10), cas(1, "k", 1, 2, true, 0, 10), read(2, "k", 2, 11, 12));
        assertLinearizable(cas(0, "k", 0, 1, true, 0, 10), cas(1, "k", 0, 2, false, 0, 10), read(2, "k", 1, 11, 12));
    }

    @Test
    @DisplayName("a pending write may have taken effect: a later read may see it")
    void pendingWriteThatTookEffect() {
        assertLinearizable(
                write(0, "k", 1, 0, 1), pendingWrite(1, "k", 5, 2), read(2, "k", 5, 10, 11), read(2, "k", 5, 12, 13));
    }

    @Test
    @DisplayName("a pending write may never have taken effect: later reads may keep seeing the old value")
    void pendingWriteThatDidNotTakeEffect() {
        assertLinearizable(
                write(0, "k", 1, 0, 1), pendingWrite(1, "k", 5, 2), read(2, "k", 1, 10, 11), read(2, "k", 1, 100, 101));
    }

    @Test
    @DisplayName("a pending write may take effect late: after reads of the old value, reads of the new one")
    void pendingWriteTakingEffectLate() {
        assertLinearizable(pendingWrite(1, "k", 5, 2), read(2, "k", 0, 10, 11), read(2, "k", 5, 100, 101));
    }

    @Test
    @DisplayName("a read seeing a pending write's value, then a later read seeing the old value, is not linearizable")
    void pendingWriteSeenThenUnseen() {
        assertNotLinearizable(
                "k",
                write(0, "k", 1, 0, 1),
                pendingWrite(1, "k", 5, 2),
                read(2, "k", 5, 10, 11),
                read(2, "k", 1, 12, 13));
    }

    @Test
    @DisplayName("a pending write cannot be seen by a read that returned before it was invoked")
    void pendingWriteCannotTakeEffectBeforeInvocation() {
        assertNotLinearizable("k", read(0, "k", 5, 0, 1), pendingWrite(1, "k", 5, 2));
    }

    @Test
    @DisplayName("a pending CAS may or may not have taken effect, but only if its expected value matched")
    void pendingCasMayOrMayNotTakeEffect() {
        assertLinearizable(write(0, "k", 1, 0, 1), pendingCas(1, "k", 1, 2, 2), read(2, "k", 2, 10, 11));
        assertLinearizable(write(0, "k", 1, 0, 1), pendingCas(1, "k", 1, 2, 2), read(2, "k", 1, 10, 11));
        assertNotLinearizable("k", write(0, "k", 1, 0, 1), pendingCas(1, "k", 7, 2, 2), read(2, "k", 2, 10, 11));
    }

    @Test
    @DisplayName("pending operations can chain: a pending write enabling a pending CAS whose value is read")
    void pendingOperationsChain() {
        assertLinearizable(pendingWrite(0, "k", 3, 0), pendingCas(1, "k", 3, 4, 1), read(2, "k", 4, 10, 11));
    }

    @Test
    @DisplayName("a pending write can explain a failed CAS whose expected value was otherwise current")
    void pendingWriteExplainsFailedCas() {
        assertLinearizable(write(0, "k", 1, 0, 1), pendingWrite(1, "k", 9, 2), cas(2, "k", 1, 2, false, 3, 4));
        assertNotLinearizable("k", write(0, "k", 1, 0, 1), cas(2, "k", 1, 2, false, 3, 4));
    }

    @Test
    @DisplayName("pending reads constrain nothing, whatever output they carry")
    void pendingReadsAreIgnored() {
        assertLinearizable(
                new Operation(0, "k", OpKind.READ, 0, 0, 42, 0, Operation.PENDING),
                pendingRead(1, "k", 0),
                read(2, "k", 0, 1, 2));
    }

    @Test
    @DisplayName("many retries of the same pending write do not blow up the search")
    void retriedPendingWritesStaySmall() {
        List<Operation> ops = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ops.add(pendingWrite(0, "k", 7, i));
        }
        ops.add(read(1, "k", 7, 300, 301));
        ops.add(write(1, "k", 1, 302, 303));
        ops.add(read(1, "k", 7, 304, 305));
        ops.add(read(1, "k", 1, 306, 307));
        CheckResult result = LinearizabilityChecker.check(ops, 10_000);
        assertFalse(result.linearizable(), "the last read cannot see 1 after the previous one saw 7 again");
        assertTrue(result.explanation().startsWith("key 'k' is not linearizable"), result.explanation());
    }

    @Test
    @DisplayName("keys are checked independently: a violation is reported naming its key, other keys do not excuse it")
    void perKeyIndependence() {
        CheckResult result = assertNotLinearizable(
                "b",
                write(0, "a", 1, 0, 1),
                read(1, "a", 1, 2, 3),
                write(0, "b", 2, 0, 1),
                read(1, "b", 1, 2, 3),
                read(2, "c", 0, 0, 10));
        assertTrue(result.explanation().contains("READ(b) -> 1"), result.explanation());
        assertLinearizable(write(0, "a", 1, 0, 1), read(1, "b", 0, 2, 3), read(1, "a", 1, 4, 5));
    }

    @Test
    @DisplayName(
            "the explanation names the key, the longest linearizable prefix and the unplaced operations in time order")
    void explanationHelpsDebugging() {
        CheckResult result = assertNotLinearizable(
                "k", write(0, "k", 1, 0, 1), write(0, "k", 2, 2, 3), read(1, "k", 1, 4, 5), write(1, "k", 3, 6, 7));
        String text = result.explanation();
        assertTrue(text.contains("longest linearizable prefix: 2 operations, value 2 after it"), text);
        assertTrue(text.contains("1. client 0 WRITE(k, 1) -> ok [0, 1]"), text);
        assertTrue(text.contains("2. client 0 WRITE(k, 2) -> ok [2, 3]"), text);
        int read = text.indexOf("client 1 READ(k) -> 1 [4, 5]");
        int write = text.indexOf("client 1 WRITE(k, 3) -> ok [6, 7]");
        assertTrue(read > text.indexOf("could not be placed") && write > read, text);
    }

    @Test
    @DisplayName("a search exceeding its state limit says so, naming the key, instead of running on")
    void searchLimit() {
        List<Operation> ops = concurrentWritesThenImpossibleRead("hot", 18);
        ops.add(read(0, "cold", 0, 0, 1));
        CheckResult result = LinearizabilityChecker.check(ops, 1_000);
        assertFalse(result.linearizable());
        assertEquals("hot", result.key());
        assertTrue(result.explanation().startsWith("search limit exceeded for key 'hot'"), result.explanation());
    }

    @Test
    @DisplayName("memoisation keeps ten concurrent writes tractable: a definite verdict well within a small limit")
    void memoisationKeepsConcurrentWritesTractable() {
        CheckResult result = LinearizabilityChecker.check(concurrentWritesThenImpossibleRead("k", 10), 100_000);
        assertTrue(result.explanation().startsWith("key 'k' is not linearizable"), result.explanation());
    }

    @Test
    @DisplayName("a definite violation on one key is reported in preference to an undecided search on another")
    void violationPreferredOverLimit() {
        List<Operation> ops = concurrentWritesThenImpossibleRead("a", 18);
        ops.add(read(0, "b", 5, 0, 1));
        CheckResult result = LinearizabilityChecker.check(ops, 1_000);
        assertEquals("b", result.key(), result.explanation());
        assertTrue(result.explanation().startsWith("key 'b' is not linearizable"), result.explanation());
    }

    @Test
    @DisplayName("bad input is refused with an error naming what is wrong")
    void validation() {
        IllegalArgumentException backwards =
                assertThrows(IllegalArgumentException.class, () -> write(3, "k", 1, 10, 9));
        assertTrue(
                backwards.getMessage().contains("returns at 9, before it was invoked at 10"), backwards.getMessage());
        IllegalArgumentException noKind =
                assertThrows(IllegalArgumentException.class, () -> new Operation(0, "k", null, 0, 0, 0, 0, 1));
        assertTrue(noKind.getMessage().contains("has no kind"), noKind.getMessage());
        IllegalArgumentException casOutput =
                assertThrows(IllegalArgumentException.class, () -> new Operation(0, "k", OpKind.CAS, 1, 0, 2, 0, 1));
        assertTrue(casOutput.getMessage().contains("has output 2"), casOutput.getMessage());
        List<Operation> withNull = new ArrayList<>();
        withNull.add(read(0, "k", 0, 0, 1));
        withNull.add(null);
        IllegalArgumentException nullOp =
                assertThrows(IllegalArgumentException.class, () -> LinearizabilityChecker.check(withNull));
        assertTrue(nullOp.getMessage().contains("null operation at position 1"), nullOp.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LinearizabilityChecker.check(List.of(), 0));
    }
}
