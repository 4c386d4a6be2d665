package dev.spool.raft.sim;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A simulated network in virtual time. While faults are on it drops, duplicates, delays and so reorders messages,
 * and it can be partitioned: symmetrically (two sides), asymmetrically (some one-way links cut), or with the leader
 * isolated from a quorum. Partitions are checked when a message is delivered.
 */
final class SimNetwork {

    private static final int MAX_DELAY_TICKS = 3;

    private final SplittableRandom random;
    private final PriorityQueue<InFlight> inFlight = new PriorityQueue<>();
    private final Set<String> cutLinks = new HashSet<>();
    private boolean faults = true;
    private long sequence;

    private record InFlight(long deliverAt, long order, Envelope envelope) implements Comparable<InFlight> {
        @Override
        public int compareTo(InFlight other) {
            final int byTime = Long.compare(deliverAt, other.deliverAt);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }

    SimNetwork(SplittableRandom random) {
        this.random = random;
    }

    void send(long now, Envelope envelope) {
        if (faults && random.nextInt(100) < 5) {
            return;
        }
        final int copies = faults && random.nextInt(100) < 3 ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            final long delay = faults ? 1 + random.nextInt(MAX_DELAY_TICKS) : 1;
            // Random order among messages due at the same tick reorders them; without faults, send order holds.
            inFlight.add(new InFlight(now + delay, faults ? random.nextLong() : sequence++, envelope));
        }
    }

    /** Removes and returns the messages due at {@code now} whose link is not cut. */
    List<Envelope> due(long now) {
        final var due = new ArrayList<Envelope>();
        while (!inFlight.isEmpty() && inFlight.peek().deliverAt() <= now) {
            final Envelope envelope = inFlight.poll().envelope();
            if (!cutLinks.contains(
                    link(envelope.message().from(), envelope.message().to()))) {
                due.add(envelope);
            }
        }
        return due;
    }

    /** Cuts links at random: a symmetric split, some one-way links, or the leader from a quorum. */
    void partitionRandomly(List<String> ids, String leader) {
        cutLinks.clear();
        switch (random.nextInt(3)) {
            case 0 -> {
                final var side = new HashSet<String>();
                for (String id : ids) {
                    if (random.nextBoolean()) {
                        side.add(id);
                    }
                }
                for (String a : ids) {
                    for (String b : ids) {
                        if (side.contains(a) != side.contains(b)) {
                            cutLinks.add(link(a, b));
                        }
                    }
                }
            }
            case 1 -> {
                for (String a : ids) {
                    for (String b : ids) {
                        if (!a.equals(b) && random.nextInt(4) == 0) {
                            cutLinks.add(link(a, b));
                        }
                    }
                }
            }
            default -> {
                if (leader == null) {
                    return;
                }
                int cut = 0;
                for (String other : ids) {
                    if (!other.equals(leader) && cut < (ids.size() + 1) / 2) {
                        cutLinks.add(link(leader, other));
                        cutLinks.add(link(other, leader));
                        cut++;
                    }
                }
            }
        }
    }

    void heal() {
        cutLinks.clear();
    }

    /** No more drops, duplicates or random delays: every message arrives one tick later, in order. */
    void stopFaults() {
        faults = false;
    }

    private static String link(String from, String to) {
        return from + ">" + to;
    }
}
