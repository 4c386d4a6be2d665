package dev.spool.itests.cluster.member;

/**
 * The payload of every entry a test member proposes: a sequence number, and a size that the codec fills with a
 * pattern derived from the sequence number, so that a follower can check every byte it receives.
 *
 * <p>Mutable on purpose: a load generator reuses one instance per proposal in flight, and the codec decodes into one
 * reused instance, so that neither allocates per entry. A proposer must not change an instance until its proposal's
 * outcome is known.
 */
public final class Sequenced {

    /** The bytes the sequence number takes; the rest of an entry is filler. */
    public static final int HEADER_BYTES = Long.BYTES;

    private long sequence;
    private int size;

    /**
     * Creates a payload.
     *
     * @param sequence its sequence number
     * @param size its encoded size in bytes, at least {@link #HEADER_BYTES}
     */
    public Sequenced(long sequence, int size) {
        set(sequence, size);
    }

    /**
     * Makes this instance another payload.
     *
     * @param newSequence the sequence number
     * @param newSize the encoded size in bytes, at least {@link #HEADER_BYTES}
     * @return this instance
     * @throws IllegalArgumentException if the size cannot hold the sequence number
     */
    public Sequenced set(long newSequence, int newSize) {
        if (newSize < HEADER_BYTES) {
            throw new IllegalArgumentException("an entry of " + newSize + " bytes cannot hold its " + HEADER_BYTES
                + "-byte sequence number");
        }
        this.sequence = newSequence;
        this.size = newSize;
        return this;
    }

    /** @return the sequence number */
    public long sequence() {
        return sequence;
    }

    /** @return the encoded size in bytes */
    public int size() {
        return size;
    }
}
