package dev.spool.itests.cluster.member;

import dev.spool.api.codec.EntrySink;
import dev.spool.api.codec.EntrySource;
import dev.spool.api.codec.PayloadCodec;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.util.Arrays;

/**
 * Encodes a {@link Sequenced} as its sequence number followed by filler bytes: byte {@code i} of the filler is
 * {@code (sequence + i) mod 256}, so a decoder can tell a byte that changed or moved on the way.
 *
 * <p>A register command sets a flag in the sequence number's top bits and writes its key and expected value after it,
 * before the filler.
 *
 * <p>Thread-safe. {@link #decode} returns an instance owned by the calling thread, reused by that thread's next
 * decode, and reads into a buffer of that thread: decoding allocates nothing per entry. The state machine reads the
 * decoded payload during {@code apply} only, which is what makes the reuse safe.
 */
public final class SequencedCodec implements PayloadCodec<Sequenced> {

    private static final long REGISTER_FLAG = 1L << 62;
    private static final long CAS_FLAG = 1L << 61;

    /** The filler of any entry is a window of this array: {@code pattern[k] == (byte) k}, repeated. */
    private final byte[] pattern;

    private final int maxEntrySize;
    private final ThreadLocal<Decoding> decoding;

    /**
     * Creates a codec.
     *
     * @param maxEntrySize the largest payload it encodes or decodes
     */
    public SequencedCodec(int maxEntrySize) {
        pattern = new byte[maxEntrySize + 256];
        for (int k = 0; k < pattern.length; k++) {
            pattern[k] = (byte) k;
        }
        this.maxEntrySize = maxEntrySize;
        this.decoding = ThreadLocal.withInitial(() -> new Decoding(maxEntrySize));
    }

    /** One thread's decoded instance and filler buffer. */
    private static final class Decoding {
        final Sequenced payload = new Sequenced(0, Sequenced.HEADER_BYTES);
        final byte[] filler;

        Decoding(int maxEntrySize) {
            filler = new byte[maxEntrySize];
        }
    }

    @Override
    public void encode(Sequenced payload, EntrySink sink) throws IOException {
        if (payload.isRegister()) {
            sink.writeLong(payload.sequence() | REGISTER_FLAG | (payload.compareAndSet() ? CAS_FLAG : 0));
            sink.writeInt(payload.key());
            sink.writeLong(payload.expected());
        } else {
            sink.writeLong(payload.sequence());
        }
        sink.write(pattern, fillerStart(payload.sequence()), payload.size() - payload.headerBytes());
    }

    @Override
    public Sequenced decode(EntrySource source) throws IOException {
        final int size = source.remaining();
        if (size < Sequenced.HEADER_BYTES || size > maxEntrySize) {
            throw new InvalidObjectException("a payload of " + size + " bytes is not a sequenced entry of "
                    + Sequenced.HEADER_BYTES + " to " + maxEntrySize + " bytes");
        }
        final Decoding mine = decoding.get();
        final byte[] received = mine.filler;
        final long word = source.readLong();
        final long sequence = word & (Sequenced.SEQUENCE_LIMIT - 1);
        final boolean register = (word & REGISTER_FLAG) != 0;
        if (word < 0 || !register && (word & CAS_FLAG) != 0) {
            throw new InvalidObjectException(
                    "a payload's first word " + Long.toHexString(word) + " has flags no sequenced entry sets");
        }
        if (register && size < Sequenced.REGISTER_HEADER_BYTES) {
            throw new InvalidObjectException("a register command of " + size + " bytes is shorter than its "
                    + Sequenced.REGISTER_HEADER_BYTES + "-byte header");
        }
        final int key = register ? source.readInt() : Sequenced.NO_KEY;
        final long expected = register ? source.readLong() : 0;
        if (register && key < 0) {
            throw new InvalidObjectException("a register command of sequence " + sequence + " has key " + key);
        }
        final int header = register ? Sequenced.REGISTER_HEADER_BYTES : Sequenced.HEADER_BYTES;
        final int filler = size - header;
        source.readFully(received, 0, filler);
        final int start = fillerStart(sequence);
        final int mismatch = Arrays.mismatch(received, 0, filler, pattern, start, start + filler);
        if (mismatch >= 0) {
            throw new InvalidObjectException("the entry of sequence " + sequence + " has a wrong filler byte at "
                    + (header + mismatch) + " of " + size);
        }
        return register
                ? mine.payload.register(sequence, size, key, (word & CAS_FLAG) != 0, expected)
                : mine.payload.set(sequence, size);
    }

    @Override
    public int encodedSize(Sequenced payload) {
        return payload.size();
    }

    private static int fillerStart(long sequence) {
        return (int) (sequence & 0xff);
    }
}
