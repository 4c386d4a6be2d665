package dev.spool.testing.lin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generates histories that are linearizable by construction: every operation gets a random interval
 * and a linearization point inside it, and the outputs come from executing a real sequential register
 * in linearization-point order. Each key has a fixed set of clients that each run one operation at a
 * time, which bounds the completed operations concurrent on a key. A pending operation (its client gave
 * up waiting) took effect at its point or, with even odds, not at all; values written are unique.
 */
final class RegisterWorkload {
    private final SplittableRandom random;
    private final int keys;
    private final int clientsPerKey;
    private final double pendingChance;

    RegisterWorkload(long seed, int keys, int clientsPerKey, double pendingChance) {
        this.random = new SplittableRandom(seed);
        this.keys = keys;
        this.clientsPerKey = clientsPerKey;
        this.pendingChance = pendingChance;
    }

    /** One generated operation before the register has decided its output. */
    private static final class Draft {
        final int client;
        final String key;
        final OpKind kind;
        final long invoke;
        final long point;
        final long ret;
        final boolean pending;
        final boolean takesEffect;
        final long input;
        long expected;
        long output;

        Draft(
                int client,
                String key,
                OpKind kind,
                long invoke,
                long point,
                long ret,
                boolean pending,
                boolean takesEffect,
                long input) {
            this.client = client;
            this.key = key;
            this.kind = kind;
            this.invoke = invoke;
            this.point = point;
            this.ret = ret;
            this.pending = pending;
            this.takesEffect = takesEffect;
            this.input = input;
        }

        Operation toOperation() {
            return new Operation(
                    client,
                    key,
                    kind,
                    input,
                    expected,
                    pending ? 0 : output,
                    invoke,
                    pending ? Operation.PENDING : ret);
        }
    }

    List<Operation> generate(int operations) {
        long[] clientFreeAt = new long[keys * clientsPerKey];
        long nextValue = 1;
        List<Draft> drafts = new ArrayList<>(operations);
        for (int n = 0; n < operations; n++) {
            int keyIndex = random.nextInt(keys);
            int client = keyIndex * clientsPerKey + random.nextInt(clientsPerKey);
            long invoke = clientFreeAt[client] + random.nextInt(4);
            long duration = random.nextInt(12);
            long point = invoke + random.nextLong(duration + 1);
            long ret = invoke + duration;
            clientFreeAt[client] = ret + 1;
            int dice = random.nextInt(10);
            OpKind kind = dice < 4 ? OpKind.READ : dice < 7 ? OpKind.WRITE : OpKind.CAS;
            boolean pending = random.nextDouble() < pendingChance;
            boolean takesEffect = !pending || random.nextBoolean();
            long input = kind == OpKind.READ ? 0 : nextValue++;
            drafts.add(new Draft(client, "key-" + keyIndex, kind, invoke, point, ret, pending, takesEffect, input));
        }
        execute(drafts);
        return drafts.stream().map(Draft::toOperation).toList();
    }

    /** Runs the drafts on a sequential register per key in linearization-point order, filling in outputs. */
    private void execute(List<Draft> drafts) {
        Map<String, Long> register = new HashMap<>();
        List<Draft> byPoint = new ArrayList<>(drafts);
        byPoint.sort(Comparator.comparingLong(d -> d.point));
        for (Draft d : byPoint) {
            long current = register.getOrDefault(d.key, 0L);
            if (d.kind == OpKind.CAS) {
                d.expected = random.nextBoolean() ? current : current + 1 + random.nextInt(3);
            }
            if (!d.takesEffect) {
                continue;
            }
            switch (d.kind) {
                case READ -> d.output = current;
                case WRITE -> register.put(d.key, d.input);
                case CAS -> {
                    boolean success = current == d.expected;
                    d.output = success ? 1 : 0;
                    if (success) {
                        register.put(d.key, d.input);
                    }
                }
            }
        }
    }
}
