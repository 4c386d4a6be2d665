package dev.spool.api.spi.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spool.api.spi.journal.EntryTooLargeException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ByteBufferEntryCodecTest {

    @Test
    @DisplayName("what the buffer sink writes, growing past its first capacity, the buffer source reads back")
    void roundTrip() throws IOException {
        final var sink = new ByteBufferEntrySink(4, 1024);
        sink.begin();
        sink.writeInt(7);
        sink.writeLong(-3);
        sink.writeUTF("zählen");
        sink.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        sink.asOutputStream().write(9);
        final ByteBuffer payload = sink.payload();
        assertEquals(sink.position(), payload.remaining());

        final var source = new ByteBufferEntrySource().wrap(payload);
        assertEquals(7, source.readInt());
        assertEquals(-3, source.readLong());
        assertEquals("zählen", source.readUTF());
        final byte[] bytes = new byte[3];
        source.readFully(bytes);
        assertArrayEquals(new byte[] {1, 2, 3}, bytes);
        assertEquals(9, source.asInputStream().read());
        assertEquals(0, source.remaining());
        assertThrows(EOFException.class, source::readByte, "no read past the payload's end");
    }

    @Test
    @DisplayName("a payload past the sink's limit is refused with EntryTooLargeException; the next payload starts"
            + " afresh")
    void limit() throws IOException {
        final var sink = new ByteBufferEntrySink(8, 16);
        sink.begin();
        sink.writeLong(1);
        sink.writeLong(2);
        assertThrows(EntryTooLargeException.class, () -> sink.writeByte(3));
        sink.begin();
        sink.writeShort(5);
        assertEquals(2, sink.payload().remaining());
    }
}
