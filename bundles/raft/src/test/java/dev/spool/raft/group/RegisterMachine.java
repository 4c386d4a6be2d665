package dev.spool.raft.group;

import dev.spool.api.group.StateMachine;
import dev.spool.testing.lin.OpKind;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * Registers (initially 0) for the agent simulation. Besides its state it reports every entry it applies to a shared
 * record of which operation each index holds, which is how the simulation checks state machine safety: no two
 * members apply different operations at one index, across restarts too.
 */
final class RegisterMachine implements StateMachine<RegisterOp> {

    private final String member;
    private final long[] registers;
    private final Map<Long, Integer> appliedAt;

    RegisterMachine(String member, int keys, Map<Long, Integer> appliedAt) {
        this.member = member;
        this.registers = new long[keys];
        this.appliedAt = appliedAt;
    }

    @Override
    public Object apply(long index, RegisterOp op) {
        final Integer before = appliedAt.putIfAbsent(index, op.historyId());
        if (before != null && before != op.historyId()) {
            throw new AssertionError(member + " applied operation " + op.historyId() + " at index " + index
                    + " where another member applied operation " + before);
        }
        final long current = registers[op.key()];
        if (op.kind() == OpKind.WRITE) {
            registers[op.key()] = op.input();
            return 0L;
        }
        if (current == op.expected()) {
            registers[op.key()] = op.input();
            return 1L;
        }
        return 0L;
    }

    long read(int key) {
        return registers[key];
    }

    @Override
    public void writeSnapshot(OutputStream out) throws IOException {
        final var data = new DataOutputStream(out);
        for (long value : registers) {
            data.writeLong(value);
        }
        data.flush();
    }

    @Override
    public void restore(InputStream in, int formatVersion) throws IOException {
        final var data = new DataInputStream(in);
        for (int i = 0; i < registers.length; i++) {
            registers[i] = data.readLong();
        }
    }

    @Override
    public void reset() {
        java.util.Arrays.fill(registers, 0);
    }
}
