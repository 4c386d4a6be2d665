package dev.spool.api.spi.codec;

import dev.spool.api.codec.EntrySource;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * An {@link EntrySource} over the bytes of one payload in a buffer: a journal record in a mapped segment, a payload
 * that travels instead of being stored (a proposal a follower forwards to its leader), or a codec test's. Reads with absolute gets and never past
 * the payload's end; the buffer itself is not moved.
 *
 * <p>Not thread-safe: one source per thread, re-wrapped for every payload.
 */
public final class ByteBufferEntrySource implements EntrySource {

    private final InputStream stream = new SourceStream();
    private ByteBuffer buffer;
    private int start;
    private int position;
    private int end;

    /**
     * Points the source at a payload.
     *
     * @param payload the payload's bytes, from position to limit; read in place, not copied
     * @return this source
     */
    public ByteBufferEntrySource wrap(ByteBuffer payload) {
        return wrap(payload, payload.position(), payload.limit());
    }

    /**
     * Points the source at a payload inside a larger buffer (a mapped journal segment), leaving the buffer's own
     * position and limit alone, so one buffer serves any number of sources.
     *
     * @param buffer the buffer holding the payload; read in place, not copied
     * @param payloadStart the payload's first byte
     * @param payloadEnd the position just after the payload's last byte
     * @return this source
     */
    public ByteBufferEntrySource wrap(ByteBuffer buffer, int payloadStart, int payloadEnd) {
        this.buffer = buffer;
        start = payloadStart;
        position = payloadStart;
        end = payloadEnd;
        return this;
    }

    @Override
    public int remaining() {
        return end - position;
    }

    @Override
    public int position() {
        return position - start;
    }

    private int take(int bytes) throws EOFException {
        if (bytes > end - position) {
            throw new EOFException("payload has " + (end - position) + " bytes left, " + bytes + " wanted");
        }
        final int at = position;
        position = at + bytes;
        return at;
    }

    @Override
    public void readFully(byte[] target) throws IOException {
        readFully(target, 0, target.length);
    }

    @Override
    public void readFully(byte[] target, int offset, int length) throws IOException {
        buffer.get(take(length), target, offset, length);
    }

    @Override
    public void readFully(ByteBuffer target) throws IOException {
        final int length = target.remaining();
        target.put(target.position(), buffer, take(length), length);
        target.position(target.limit());
    }

    @Override
    public int skipBytes(int count) {
        final int skipped = Math.max(0, Math.min(count, end - position));
        position += skipped;
        return skipped;
    }

    @Override
    public boolean readBoolean() throws IOException {
        return buffer.get(take(1)) != 0;
    }

    @Override
    public byte readByte() throws IOException {
        return buffer.get(take(1));
    }

    @Override
    public int readUnsignedByte() throws IOException {
        return buffer.get(take(1)) & 0xFF;
    }

    @Override
    public short readShort() throws IOException {
        return buffer.getShort(take(Short.BYTES));
    }

    @Override
    public int readUnsignedShort() throws IOException {
        return buffer.getShort(take(Short.BYTES)) & 0xFFFF;
    }

    @Override
    public char readChar() throws IOException {
        return buffer.getChar(take(Character.BYTES));
    }

    @Override
    public int readInt() throws IOException {
        return buffer.getInt(take(Integer.BYTES));
    }

    @Override
    public long readLong() throws IOException {
        return buffer.getLong(take(Long.BYTES));
    }

    @Override
    public float readFloat() throws IOException {
        return buffer.getFloat(take(Float.BYTES));
    }

    @Override
    public double readDouble() throws IOException {
        return buffer.getDouble(take(Double.BYTES));
    }

    /** Reads a line of ISO-8859-1 characters, as {@link java.io.DataInput#readLine} specifies. */
    @Override
    public String readLine() {
        if (position >= end) {
            return null;
        }
        final var line = new StringBuilder();
        while (position < end) {
            final char c = (char) (buffer.get(position++) & 0xFF);
            if (c == '\n') {
                break;
            }
            if (c == '\r') {
                if (position < end && buffer.get(position) == '\n') {
                    position++;
                }
                break;
            }
            line.append(c);
        }
        return line.toString();
    }

    @Override
    public String readUTF() throws IOException {
        return DataInputStream.readUTF(this);
    }

    @Override
    public InputStream asInputStream() {
        return stream;
    }

    private final class SourceStream extends InputStream {
        @Override
        public int read() {
            return position < end ? buffer.get(position++) & 0xFF : -1;
        }

        @Override
        public int read(byte[] target, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            final int count = Math.min(length, end - position);
            if (count <= 0) {
                return -1;
            }
            buffer.get(position, target, offset, count);
            position += count;
            return count;
        }

        @Override
        public int available() {
            return end - position;
        }

        @Override
        public long skip(long count) {
            return skipBytes((int) Math.min(count, Integer.MAX_VALUE));
        }
    }
}
