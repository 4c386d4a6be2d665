package dev.spool.itests.cluster;

import java.util.BitSet;

/** The sequence numbers acknowledged to a test, and so promised to survive. Thread-safe. */
final class AcknowledgedSequences {

    private final BitSet sequences = new BitSet();

    /**
     * Records an acknowledgement; a {@code ControlClient.AckListener}.
     *
     * @param sequence the acknowledged sequence number
     * @param index its entry's index
     */
    synchronized void add(long sequence, long index) {
        sequences.set(Math.toIntExact(sequence));
    }

    /** @return how many sequence numbers were acknowledged */
    synchronized int count() {
        return sequences.cardinality();
    }

    /**
     * Returns the acknowledged sequence numbers a member did not apply.
     *
     * @param applied the sequence numbers the member applied
     * @return those acknowledged and not applied
     */
    synchronized BitSet missingFrom(BitSet applied) {
        final BitSet missing = (BitSet) sequences.clone();
        missing.andNot(applied);
        return missing;
    }
}
