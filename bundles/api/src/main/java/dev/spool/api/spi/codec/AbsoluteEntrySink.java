package dev.spool.api.spi.codec;

import dev.spool.api.codec.EntrySink;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UTFDataFormatException;
import java.nio.ByteBuffer;

/**
 * An {@link EntrySink} that writes with absolute puts into a {@link ByteBuffer}: a subclass decides where each write
 * goes ({@link #claim}) and may change the buffer when it does (grow it, move the payload elsewhere); this class
 * encodes the {@code DataOutput} values there. Nothing is allocated per write, {@code writeUTF} included.
 *
 * <p>Not thread-safe: one sink per thread.
 */
public abstract class AbsoluteEntrySink implements EntrySink {

    private final OutputStream stream = new SinkStream();

    /** Creates the sink. */
    protected AbsoluteEntrySink() {}

    /**
     * Reserves room for the next {@code bytes} of the payload.
     *
     * @param bytes how many bytes the write needs
     * @return the absolute index in {@link #target()} where they go
     * @throws IOException if the payload cannot grow by that much (such as
     *     {@link dev.spool.api.spi.journal.EntryTooLargeException})
     */
    protected abstract int claim(int bytes) throws IOException;

    /**
     * Returns the buffer the claimed indexes refer to; read after {@link #claim}, which may change it.
     *
     * @return the buffer
     */
    protected abstract ByteBuffer target();

    @Override
    public void write(int b) throws IOException {
        final int at = claim(1);
        target().put(at, (byte) b);
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        write(bytes, 0, bytes.length);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        final int at = claim(length);
        target().put(at, bytes, offset, length);
    }

    @Override
    public void write(ByteBuffer source) throws IOException {
        final int length = source.remaining();
        final int at = claim(length);
        target().put(at, source, source.position(), length);
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
        target().putShort(at, (short) value);
    }

    @Override
    public void writeChar(int value) throws IOException {
        final int at = claim(Character.BYTES);
        target().putChar(at, (char) value);
    }

    @Override
    public void writeInt(int value) throws IOException {
        final int at = claim(Integer.BYTES);
        target().putInt(at, value);
    }

    @Override
    public void writeLong(long value) throws IOException {
        final int at = claim(Long.BYTES);
        target().putLong(at, value);
    }

    @Override
    public void writeFloat(float value) throws IOException {
        final int at = claim(Float.BYTES);
        target().putFloat(at, value);
    }

    @Override
    public void writeDouble(double value) throws IOException {
        final int at = claim(Double.BYTES);
        target().putDouble(at, value);
    }

    @Override
    public void writeBytes(String value) throws IOException {
        final int length = value.length();
        final int at = claim(length);
        final ByteBuffer buffer = target();
        for (int i = 0; i < length; i++) {
            buffer.put(at + i, (byte) value.charAt(i));
        }
    }

    @Override
    public void writeChars(String value) throws IOException {
        final int length = value.length();
        final int at = claim(length * Character.BYTES);
        final ByteBuffer buffer = target();
        for (int i = 0; i < length; i++) {
            buffer.putChar(at + i * Character.BYTES, value.charAt(i));
        }
    }

    /** Modified UTF-8 as {@link java.io.DataOutput#writeUTF} defines it, encoded in place. */
    @Override
    public void writeUTF(String value) throws IOException {
        final int length = value.length();
        int encoded = 0;
        for (int i = 0; i < length; i++) {
            final char c = value.charAt(i);
            encoded += c >= 1 && c <= 0x7F ? 1 : c <= 0x7FF ? 2 : 3;
        }
        if (encoded > 0xFFFF) {
            throw new UTFDataFormatException("modified UTF-8 encoding of " + encoded + " bytes exceeds 65535");
        }
        int at = claim(Short.BYTES + encoded);
        final ByteBuffer buffer = target();
        buffer.putShort(at, (short) encoded);
        at += Short.BYTES;
        for (int i = 0; i < length; i++) {
            final char c = value.charAt(i);
            if (c >= 1 && c <= 0x7F) {
                buffer.put(at++, (byte) c);
            } else if (c <= 0x7FF) {
                buffer.put(at++, (byte) (0xC0 | (c >> 6)));
                buffer.put(at++, (byte) (0x80 | (c & 0x3F)));
            } else {
                buffer.put(at++, (byte) (0xE0 | (c >> 12)));
                buffer.put(at++, (byte) (0x80 | ((c >> 6) & 0x3F)));
                buffer.put(at++, (byte) (0x80 | (c & 0x3F)));
            }
        }
    }

    @Override
    public OutputStream asOutputStream() {
        return stream;
    }

    private final class SinkStream extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            AbsoluteEntrySink.this.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            AbsoluteEntrySink.this.write(bytes, offset, length);
        }
    }
}
