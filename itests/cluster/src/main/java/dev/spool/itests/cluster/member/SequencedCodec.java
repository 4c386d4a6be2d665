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
 * <p>Thread-safe. {@link #decode} returns an instance owned by the calling thread, reused by that thread's next
 * decode, and reads into a buffer of that thread: decoding allocates nothing per entry. The state machine reads the
 * decoded payload during {@code apply} only, which is what makes the reuse safe.
 */
public final class SequencedCodec implements PayloadCodec<Sequenced> {

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
        sink.writeLong(payload.sequence());
        sink.write(pattern, fillerStart(payload.sequence()), payload.size() - Sequenced.HEADER_BYTES);
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
        final long sequence = source.readLong();
        final int filler = size - Sequenced.HEADER_BYTES;
        source.readFully(received, 0, filler);
        final int start = fillerStart(sequence);
        final int mismatch = Arrays.mismatch(received, 0, filler, pattern, start, start + filler);
        if (mismatch >= 0) {
            throw new InvalidObjectException("the entry of sequence " + sequence + " has a wrong filler byte at "
                + (Sequenced.HEADER_BYTES + mismatch) + " of " + size);
        }
        return mine.payload.set(sequence, size);
    }

    @Override
    public int encodedSize(Sequenced payload) {
        return payload.size();
    }

    private static int fillerStart(long sequence) {
        return (int) (sequence & 0xff);
    }
}
