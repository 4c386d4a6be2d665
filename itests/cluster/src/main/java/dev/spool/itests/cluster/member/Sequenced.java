package dev.spool.itests.cluster.member;

/**
 * The payload of every entry a test member proposes: a sequence number, and a size that the codec fills with a
 * pattern derived from the sequence number, so that a follower can check every byte it receives.
 *
 * <p>A payload may also be a register command (see {@link SequenceMachine}): it writes its sequence number into the
 * register of a key, unconditionally or, for a compare-and-set, only if the register holds an expected value.
 *
 * <p>Mutable on purpose: a load generator reuses one instance per proposal in flight, and the codec decodes into one
 * reused instance, so that neither allocates per entry. A proposer must not change an instance until its proposal's
 * outcome is known.
 */
public final class Sequenced {

    /** The bytes the sequence number takes; the rest of an entry is filler. */
    public static final int HEADER_BYTES = Long.BYTES;
    /** The bytes a register command's header takes: the sequence number, the key and the expected value. */
    public static final int REGISTER_HEADER_BYTES = Long.BYTES + Integer.BYTES + Long.BYTES;
    /** Sequence numbers lie below this: the bits above mark a register command in the encoding. */
    public static final long SEQUENCE_LIMIT = 1L << 61;
    /** The key of a payload that is no register command. */
    public static final int NO_KEY = -1;

    private long sequence;
    private int size;
    private int key = NO_KEY;
    private boolean compareAndSet;
    private long expected;

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
     * Makes this instance another payload, no register command.
     *
     * @param newSequence the sequence number, from 0 to below {@link #SEQUENCE_LIMIT}
     * @param newSize the encoded size in bytes, at least {@link #HEADER_BYTES}
     * @return this instance
     * @throws IllegalArgumentException if the size cannot hold the sequence number, or the number is out of range
     */
    public Sequenced set(long newSequence, int newSize) {
        return set(newSequence, newSize, NO_KEY, false, 0);
    }

    /**
     * Makes this instance a register command: it writes {@code newSequence} into the register of {@code newKey},
     * if {@code cas} only when the register holds {@code newExpected}.
     *
     * @param newSequence the sequence number, the value written
     * @param newSize the encoded size in bytes, at least {@link #REGISTER_HEADER_BYTES}
     * @param newKey the register's key, not negative
     * @param cas whether the write is a compare-and-set
     * @param newExpected the value a compare-and-set expects (0 is the value of a register never written)
     * @return this instance
     * @throws IllegalArgumentException if the size cannot hold the command, or a number is out of range
     */
    public Sequenced register(long newSequence, int newSize, int newKey, boolean cas, long newExpected) {
        if (newKey < 0) {
            throw new IllegalArgumentException("a register's key must not be negative: " + newKey);
        }
        return set(newSequence, newSize, newKey, cas, newExpected);
    }

    private Sequenced set(long newSequence, int newSize, int newKey, boolean cas, long newExpected) {
        final int header = newKey == NO_KEY ? HEADER_BYTES : REGISTER_HEADER_BYTES;
        if (newSize < header) {
            throw new IllegalArgumentException(
                    "an entry of " + newSize + " bytes cannot hold its " + header + "-byte header");
        }
        if (newSequence < 0 || newSequence >= SEQUENCE_LIMIT) {
            throw new IllegalArgumentException("a sequence number must lie in [0, 2^61): " + newSequence);
        }
        this.sequence = newSequence;
        this.size = newSize;
        this.key = newKey;
        this.compareAndSet = cas;
        this.expected = newExpected;
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

    /** @return the register's key, {@link #NO_KEY} if this is no register command */
    public int key() {
        return key;
    }

    /** @return whether this is a register command */
    public boolean isRegister() {
        return key != NO_KEY;
    }

    /** @return whether this register command is a compare-and-set */
    public boolean compareAndSet() {
        return compareAndSet;
    }

    /** @return the value a compare-and-set expects */
    public long expected() {
        return expected;
    }

    /** @return the bytes before the filler */
    int headerBytes() {
        return isRegister() ? REGISTER_HEADER_BYTES : HEADER_BYTES;
    }
}
