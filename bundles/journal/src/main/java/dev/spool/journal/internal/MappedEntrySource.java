package dev.spool.journal.internal;

import dev.spool.api.codec.EntrySource;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * The {@link EntrySource} of a reader: reads one payload with absolute gets straight from the mapped segment,
 * never past the payload's end. One instance per reader, re-wrapped for every entry.
 */
final class MappedEntrySource implements EntrySource {
    private final InputStream stream = new SourceStream();
    private ByteBuffer buffer;
    private int start;
    private int position;
    private int end;

    /** Points the source at the payload {@code [start, end)} of {@code segment}. */
    void wrap(ByteBuffer segment, int payloadStart, int payloadEnd) {
        buffer = segment;
        start = payloadStart;
        position = payloadStart;
        end = payloadEnd;
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
        int at = position;
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
        int length = target.remaining();
        target.put(target.position(), buffer, take(length), length);
        target.position(target.limit());
    }

    @Override
    public int skipBytes(int count) {
        int skipped = Math.max(0, Math.min(count, end - position));
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

    @Override
    public String readLine() {
        if (position >= end) {
            return null;
        }
        StringBuilder line = new StringBuilder();
        while (position < end) {
            char c = (char) (buffer.get(position++) & 0xFF);
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
            int count = Math.min(length, end - position);
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
