package dev.spool.api.spi.codec;

import dev.spool.api.codec.EntrySink;
import dev.spool.api.spi.journal.EntryTooLargeException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An {@link EntrySink} into a reusable direct buffer, for payloads that travel instead of being stored (a proposal
 * a follower forwards to its leader) and for codec tests. The buffer starts small and doubles when a payload needs
 * more room, up to a limit (a write past it throws {@link EntryTooLargeException}); it is kept for the next
 * payload, so a steady stream of payloads allocates nothing.
 *
 * <p>Not thread-safe: one sink per thread. {@link #begin()} starts a payload, {@link #payload()} ends it.
 */
public final class ByteBufferEntrySink extends AbsoluteEntrySink {

    private final int maxBytes;
    private ByteBuffer buffer;
    private int position;

    /**
     * Creates a sink.
     *
     * @param initialBytes the buffer's first capacity
     * @param maxBytes the largest payload accepted
     * @throws IllegalArgumentException if the capacities are not positive or the first exceeds the limit
     */
    public ByteBufferEntrySink(int initialBytes, int maxBytes) {
        if (initialBytes <= 0 || maxBytes < initialBytes) {
            throw new IllegalArgumentException("sink capacity " + initialBytes + " with a limit of " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.buffer = ByteBuffer.allocateDirect(initialBytes);
    }

    /** Starts a new payload, forgetting the previous one. */
    public void begin() {
        position = 0;
    }

    /**
     * Ends the payload.
     *
     * @return a view of the payload's bytes (position 0, limit its length), valid until the next {@link #begin()}
     */
    public ByteBuffer payload() {
        return buffer.duplicate().position(0).limit(position);
    }

    @Override
    public int position() {
        return position;
    }

    /** Grows the buffer (doubling, up to the limit) when the payload needs more room. */
    @Override
    protected int claim(int bytes) throws IOException {
        final long end = (long) position + bytes;
        if (end > buffer.capacity()) {
            if (end > maxBytes) {
                throw new EntryTooLargeException(end, maxBytes);
            }
            final ByteBuffer larger =
                    ByteBuffer.allocateDirect((int) Math.min(maxBytes, Math.max(end, 2L * buffer.capacity())));
            larger.put(0, buffer, 0, position);
            buffer = larger;
        }
        final int at = position;
        position = (int) end;
        return at;
    }

    @Override
    protected ByteBuffer target() {
        return buffer;
    }
}
