package dev.spool.itests.cluster.member;

import dev.spool.api.group.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * The replicated state of a test member, kept so that a test can check it from outside: how many entries were
 * applied, which sequence numbers, the index of the last one, and a checksum of the whole history (every applied
 * entry's index, sequence number and size, in order), so that two members with the same checksum applied the same
 * log.
 *
 * <p>It also holds registers by key, which register commands write (their sequence number is the value): a write
 * unconditionally, a compare-and-set only if the register holds the expected value; applying a compare-and-set
 * returns whether it wrote. A register never written holds 0.
 *
 * <p>A snapshot holds that state, then optionally a ballast: a given number of bytes derived from the checksum and
 * their offset, which stand in for an application's bulk state so that a test can make a snapshot span many
 * InstallSnapshot chunks. Restoring checks every ballast byte, so a chunk lost, repeated or misplaced on the way
 * fails the restore with its offset.
 *
 * <p>Threads: {@link #apply} and the snapshot methods on the group's apply thread; {@link #state} and
 * {@link #appendAppliedRanges} and {@link #register} from any thread. Applying allocates nothing (unless a new gap opens
 * in the sequence numbers, or a register command boxes its key and value).
 */
public final class SequenceMachine implements StateMachine<Sequenced> {

    /** Version 2: count, checksum, last index, ranges, registers, then the ballast's length and bytes. */
    private static final int FORMAT_VERSION = 2;

    private static final int BALLAST_BLOCK = 8 << 10;

    private final SequenceRanges applied = new SequenceRanges();
    private final Map<Integer, Long> registers = new HashMap<>();
    private final long ballastBytes;
    private long count;
    private long checksum;
    private long lastIndex;

    /**
     * Creates an empty machine.
     *
     * @param ballastBytes how many ballast bytes each snapshot it writes carries after its state (0 for none)
     */
    public SequenceMachine(long ballastBytes) {
        if (ballastBytes < 0) {
            throw new IllegalArgumentException("the snapshot ballast must not be negative: " + ballastBytes);
        }
        this.ballastBytes = ballastBytes;
    }

    /** What the machine holds at one moment. */
    public record State(long count, long checksum, long lastIndex) {}

    @Override
    public synchronized Object apply(long index, Sequenced payload) {
        applied.add(payload.sequence());
        count++;
        lastIndex = index;
        checksum = 31 * checksum + mix(index, payload.sequence(), payload.size());
        if (!payload.isRegister()) {
            return null;
        }
        if (payload.compareAndSet() && register(payload.key()) != payload.expected()) {
            return Boolean.FALSE;
        }
        registers.put(payload.key(), payload.sequence());
        return Boolean.TRUE;
    }

    /**
     * Reads a register.
     *
     * @param key its key
     * @return the value last written, 0 if none was
     */
    public synchronized long register(int key) {
        return registers.getOrDefault(key, 0L);
    }

    /** A 64-bit mix (the finalizer of MurmurHash3) of one entry, so that swapped or changed entries change the sum. */
    private static long mix(long index, long sequence, int size) {
        long h = index * 0x9E3779B97F4A7C15L ^ sequence * 0xC2B2AE3D27D4EB4FL ^ size;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        return h ^ (h >>> 33);
    }

    @Override
    public synchronized void writeSnapshot(OutputStream out) throws IOException {
        final DataOutputStream data = new DataOutputStream(out);
        data.writeLong(count);
        data.writeLong(checksum);
        data.writeLong(lastIndex);
        applied.writeTo(data);
        data.writeInt(registers.size());
        for (Map.Entry<Integer, Long> register : registers.entrySet()) {
            data.writeInt(register.getKey());
            data.writeLong(register.getValue());
        }
        data.writeLong(ballastBytes);
        final byte[] block = new byte[(int) Math.min(BALLAST_BLOCK, ballastBytes)];
        for (long offset = 0; offset < ballastBytes; offset += block.length) {
            final int length = (int) Math.min(block.length, ballastBytes - offset);
            for (int i = 0; i < length; i++) {
                block[i] = ballastByte(checksum, offset + i);
            }
            data.write(block, 0, length);
        }
        data.flush();
    }

    /** Byte {@code offset} of the ballast of a snapshot whose history checksum is {@code checksum}. */
    private static byte ballastByte(long checksum, long offset) {
        return (byte) ((checksum >>> ((offset & 7) << 3)) + offset + (offset >>> 8));
    }

    @Override
    public int snapshotFormatVersion() {
        return FORMAT_VERSION;
    }

    @Override
    public synchronized void restore(InputStream in, int formatVersion) throws IOException {
        if (formatVersion != snapshotFormatVersion()) {
            throw new IOException(
                    "snapshot format " + formatVersion + " is not this machine's " + snapshotFormatVersion());
        }
        final DataInputStream data = new DataInputStream(in);
        count = data.readLong();
        checksum = data.readLong();
        lastIndex = data.readLong();
        applied.readFrom(data);
        registers.clear();
        final int written = data.readInt();
        if (written < 0) {
            throw new IOException("a snapshot's register count is negative: " + written);
        }
        for (int i = 0; i < written; i++) {
            registers.put(data.readInt(), data.readLong());
        }
        checkBallast(data);
    }

    private void checkBallast(DataInputStream data) throws IOException {
        final long length = data.readLong();
        if (length < 0) {
            throw new IOException("a snapshot's ballast length is negative: " + length);
        }
        final byte[] block = new byte[(int) Math.min(BALLAST_BLOCK, length)];
        for (long offset = 0; offset < length; offset += block.length) {
            final int read = (int) Math.min(block.length, length - offset);
            data.readFully(block, 0, read);
            for (int i = 0; i < read; i++) {
                if (block[i] != ballastByte(checksum, offset + i)) {
                    throw new IOException("a snapshot's ballast byte " + (offset + i) + " of " + length
                            + " is wrong: the snapshot is corrupt or its chunks came out of order");
                }
            }
        }
    }

    @Override
    public synchronized void reset() {
        applied.clear();
        registers.clear();
        count = 0;
        checksum = 0;
        lastIndex = 0;
    }

    /** @return the count, checksum and last applied index, read together */
    public synchronized State state() {
        return new State(count, checksum, lastIndex);
    }

    /**
     * Appends the applied sequence numbers as ranges, one {@code first-last} per line.
     *
     * @param out where to append
     */
    public synchronized void appendAppliedRanges(StringBuilder out) {
        applied.appendTo(out);
    }
}
