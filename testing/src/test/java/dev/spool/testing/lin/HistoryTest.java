package dev.spool.testing.lin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HistoryTest {

    @Test
    @DisplayName("completed operations carry their output and return time; never-completed ones stay pending")
    void recordsOutcomes() {
        History history = new History();
        int write = history.invoke(1, "k", OpKind.WRITE, 5, 0, 10);
        int cas = history.invoke(2, "k", OpKind.CAS, 6, 5, 11);
        int read = history.invoke(3, "k", OpKind.READ, 0, 0, 12);
        history.complete(write, 0, 13);
        history.complete(read, 5, 14);
        List<Operation> ops = history.operations();
        assertEquals(new Operation(1, "k", OpKind.WRITE, 5, 0, 0, 10, 13), ops.get(write));
        assertEquals(new Operation(3, "k", OpKind.READ, 0, 0, 5, 12, 14), ops.get(read));
        assertTrue(ops.get(cas).pending());
        assertEquals(Operation.PENDING, ops.get(cas).returnTime());
        assertFalse(ops.get(write).pending());
        assertTrue(LinearizabilityChecker.check(ops).linearizable());
    }

    @Test
    @DisplayName("operations() is a snapshot: later completions do not change it")
    void operationsIsASnapshot() {
        History history = new History();
        int id = history.invoke(0, "k", OpKind.READ, 0, 0, 0);
        List<Operation> before = history.operations();
        history.complete(id, 0, 1);
        assertTrue(before.get(id).pending());
        assertFalse(history.operations().get(id).pending());
    }

    @Test
    @DisplayName("completing an unknown, already completed or too early operation is refused with a clear error")
    void refusesBadCompletions() {
        History history = new History();
        int id = history.invoke(0, "k", OpKind.WRITE, 1, 0, 10);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> history.complete(7, 0, 11))
                .getMessage()
                .contains("no operation with id 7"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> history.complete(id, 0, 9))
                .getMessage()
                .contains("before it was invoked at 10"));
        history.complete(id, 0, 11);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> history.complete(id, 0, 12))
                .getMessage()
                .contains("already completed"));
        assertThrows(IllegalArgumentException.class, () -> history.invoke(0, "k", null, 0, 0, 13));
    }
}
