package dev.spool.api.codec;

import dev.spool.api.journal.EntryTooLargeException;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * An {@link EntrySink} into a reusable direct buffer, for payloads that travel instead of being stored (a proposal
 * a follower forwards to its leader) and for codec tests. The buffer starts small and doubles when a payload needs
 * more room, up to a limit (a write past it throws {@link EntryTooLargeException}); it is kept for the next
 * payload, so a steady stream of payloads allocates nothing.
 *
 * <p>Not thread-safe: one sink per thread. {@link #begin()} starts a payload, {@link #payload()} ends it.
 */
public final class ByteBufferEntrySink implements EntrySink {

    private final int maxBytes;
    private final OutputStream stream = new SinkStream();
    private DataOutputStream utf;
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

    /**
     * Reserves {@code bytes} and returns where they go, growing the buffer if needed: callers read {@link #buffer}
     * only after it returns.
     */
    private int claim(int bytes) throws IOException {
        final long end = (long) position + bytes;
        if (end > buffer.capacity()) {
            if (end > maxBytes) {
                throw new EntryTooLargeException(end, maxBytes);
            }
            final ByteBuffer larger = ByteBuffer.allocateDirect((int) Math.min(maxBytes,
                Math.max(end, 2L * buffer.capacity())));
            larger.put(0, buffer, 0, position);
            buffer = larger;
        }
        final int at = position;
        position = (int) end;
        return at;
    }

    @Override
    public void write(int b) throws IOException {
        final int at = claim(1);
        buffer.put(at, (byte) b);
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        write(bytes, 0, bytes.length);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        final int at = claim(length);
        buffer.put(at, bytes, offset, length);
    }

    @Override
    public void write(ByteBuffer source) throws IOException {
        final int length = source.remaining();
        final int at = claim(length);
        buffer.put(at, source, source.position(), length);
        source.position(source.limit());
    }

    @Override
    public void writeBoolean(boolean value) throws IOException {
        write(value ? 1 : 0);
    }

    @Override
    public void writeByte(int value) throws IOException {
        write(value);
    }

    @Override
    public void writeShort(int value) throws IOException {
        final int at = claim(Short.BYTES);
        buffer.putShort(at, (short) value);
    }

    @Override
    public void writeChar(int value) throws IOException {
        final int at = claim(Character.BYTES);
        buffer.putChar(at, (char) value);
    }

    @Override
    public void writeInt(int value) throws IOException {
        final int at = claim(Integer.BYTES);
        buffer.putInt(at, value);
    }

    @Override
    public void writeLong(long value) throws IOException {
        final int at = claim(Long.BYTES);
        buffer.putLong(at, value);
    }

    @Override
    public void writeFloat(float value) throws IOException {
        final int at = claim(Float.BYTES);
        buffer.putFloat(at, value);
    }

    @Override
    public void writeDouble(double value) throws IOException {
        final int at = claim(Double.BYTES);
        buffer.putDouble(at, value);
    }

    @Override
    public void writeBytes(String value) throws IOException {
        final int at = claim(value.length());
        for (int i = 0; i < value.length(); i++) {
            buffer.put(at + i, (byte) value.charAt(i));
        }
    }

    @Override
    public void writeChars(String value) throws IOException {
        final int at = claim(value.length() * Character.BYTES);
        for (int i = 0; i < value.length(); i++) {
            buffer.putChar(at + i * Character.BYTES, value.charAt(i));
        }
    }

    @Override
    public void writeUTF(String value) throws IOException {
        if (utf == null) {
            utf = new DataOutputStream(stream); // reuses its encoding buffer from one string to the next
        }
        utf.writeUTF(value);
    }

    @Override
    public OutputStream asOutputStream() {
        return stream;
    }

    private final class SinkStream extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            ByteBufferEntrySink.this.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            ByteBufferEntrySink.this.write(bytes, offset, length);
        }
    }
}
