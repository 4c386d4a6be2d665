package dev.spool.journal.internal;

import dev.spool.api.codec.EntrySink;
import dev.spool.api.journal.EntryTooLargeException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UTFDataFormatException;
import java.nio.ByteBuffer;

/**
 * The {@link EntrySink} of a {@link JournalWriter}: writes the payload with absolute puts straight into the mapped
 * active segment. One instance per writer, reused for every append. A write that crosses the end of the segment asks
 * the writer to move the entry to the next segment (once); a write that makes the payload larger than the maximum
 * entry size throws {@link EntryTooLargeException}, and the writer zeroes what was written.
 */
final class MappedEntrySink implements EntrySink {
    private final JournalWriter writer;
    private final int maxEntrySize;
    private final OutputStream stream = new SinkStream();
    private ByteBuffer buffer;
    private int payloadStart;
    private int position;
    private int limit;

    MappedEntrySink(JournalWriter writer, int maxEntrySize) {
        this.writer = writer;
        this.maxEntrySize = maxEntrySize;
    }

    /** Starts a payload at {@code payloadStart} of {@code target}, whose usable area ends at {@code segmentEnd}. */
    void begin(ByteBuffer target, int payloadStart, int segmentEnd) {
        relocate(target, payloadStart, segmentEnd);
        position = payloadStart;
    }

    /** Continues the payload in another segment, to which the writer moved the bytes written so far. */
    void relocate(ByteBuffer target, int newPayloadStart, int segmentEnd) {
        int written = position - payloadStart;
        buffer = target;
        payloadStart = newPayloadStart;
        position = newPayloadStart + written;
        limit = (int) Math.min(segmentEnd, (long) newPayloadStart + maxEntrySize);
    }

    /** Zeroes whatever the abandoned payload wrote. */
    void abandon() {
        Zeros.fill(buffer, payloadStart, position);
        position = payloadStart;
    }

    @Override
    public int position() {
        return position - payloadStart;
    }

    /**
     * Reserves {@code bytes} and returns where they go. It may move the entry to another segment, so callers read
     * {@link #buffer} only after it returns.
     */
    private int claim(int bytes) throws IOException {
        if (bytes > limit - position) {
            overflow(bytes);
        }
        int at = position;
        position = at + bytes;
        return at;
    }

    private void overflow(int bytes) throws IOException {
        long size = (long) position - payloadStart + bytes;
        if (size > maxEntrySize) {
            throw new EntryTooLargeException(size, maxEntrySize);
        }
        writer.moveEntryToNextSegment();
    }

    @Override
    public void write(int b) throws IOException {
        int at = claim(1);
        buffer.put(at, (byte) b);
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        write(bytes, 0, bytes.length);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        int at = claim(length);
        buffer.put(at, bytes, offset, length);
    }

    @Override
    public void write(ByteBuffer source) throws IOException {
        int length = source.remaining();
        int at = claim(length);
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
        int at = claim(Short.BYTES);
        buffer.putShort(at, (short) value);
    }

    @Override
    public void writeChar(int value) throws IOException {
        int at = claim(Character.BYTES);
        buffer.putChar(at, (char) value);
    }

    @Override
    public void writeInt(int value) throws IOException {
        int at = claim(Integer.BYTES);
        buffer.putInt(at, value);
    }

    @Override
    public void writeLong(long value) throws IOException {
        int at = claim(Long.BYTES);
        buffer.putLong(at, value);
    }

    @Override
    public void writeFloat(float value) throws IOException {
        int at = claim(Float.BYTES);
        buffer.putFloat(at, value);
    }

    @Override
    public void writeDouble(double value) throws IOException {
        int at = claim(Double.BYTES);
        buffer.putDouble(at, value);
    }

    @Override
    public void writeBytes(String value) throws IOException {
        int length = value.length();
        int at = claim(length);
        for (int i = 0; i < length; i++) {
            buffer.put(at + i, (byte) value.charAt(i));
        }
    }

    @Override
    public void writeChars(String value) throws IOException {
        int length = value.length();
        int at = claim(length * Character.BYTES);
        for (int i = 0; i < length; i++) {
            buffer.putChar(at + i * Character.BYTES, value.charAt(i));
        }
    }

    @Override
    public void writeUTF(String value) throws IOException {
        int length = value.length();
        int encoded = 0;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            encoded += c >= 1 && c <= 0x7F ? 1 : c <= 0x7FF ? 2 : 3;
        }
        if (encoded > 0xFFFF) {
            throw new UTFDataFormatException("modified UTF-8 encoding of " + encoded + " bytes exceeds 65535");
        }
        int at = claim(Short.BYTES + encoded);
        buffer.putShort(at, (short) encoded);
        at += Short.BYTES;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
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
            MappedEntrySink.this.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            MappedEntrySink.this.write(bytes, offset, length);
        }
    }
}
