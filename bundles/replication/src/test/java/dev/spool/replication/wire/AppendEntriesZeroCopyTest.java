package dev.spool.replication.wire;

import static dev.spool.replication.wire.SampleFrames.GROUP;
import static dev.spool.replication.wire.SampleFrames.RECEIVER;
import static dev.spool.replication.wire.SampleFrames.SENDER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.spi.journal.RawRecords;
import dev.spool.api.spi.raft.AppendEntries;
import dev.spool.replication.LeakDetection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakDetection.class)
class AppendEntriesZeroCopyTest {

    private static final AppendEntries MESSAGE = new AppendEntries(SENDER, RECEIVER, 2, 10, 1, 12, 2, 9, List.of());

    /** A journal view over a direct buffer that counts its releases. */
    private static final class CountingRecords implements RawRecords {
        final ByteBuffer buffer;
        int releases;

        CountingRecords(byte[] records) {
            buffer = ByteBuffer.allocateDirect(records.length + 16);
            buffer.position(8);
            buffer.put(records);
            buffer.flip().position(8);
            // What a journal hands out: read-only, positioned on the records.
            buffer.limit(8 + records.length);
        }

        @Override
        public long firstIndex() {
            return 11;
        }

        @Override
        public long lastIndex() {
            return 12;
        }

        @Override
        public long lastTerm() {
            return 2;
        }

        @Override
        public ByteBuffer buffer() {
            return buffer.asReadOnlyBuffer();
        }

        @Override
        public void release() {
            releases++;
        }
    }

    private static byte[] recordBytes() {
        return ByteBufUtil.getBytes(SampleFrames.records(2));
    }

    private static ByteBuf frame(CountingRecords records) {
        return new FrameEncoder(WireLimits.DEFAULT)
                .encodeAppendEntries(ByteBufAllocator.DEFAULT, GROUP, MESSAGE, records);
    }

    @Test
    @DisplayName(
            "the frame is the same bytes as the copying encoder's, with the records as an uncopied direct component")
    void sameBytesWithoutCopy() {
        final var records = new CountingRecords(recordBytes());
        final ByteBuf frame = frame(records);
        final ByteBuf copied = Unpooled.buffer();
        new FrameEncoder(WireLimits.DEFAULT)
                .encode(new GroupMessage(GROUP, MESSAGE, Unpooled.wrappedBuffer(recordBytes())), copied);
        assertArrayEquals(ByteBufUtil.getBytes(copied), ByteBufUtil.getBytes(frame));
        assertTrue(frame.isDirect(), "a direct frame is written to a socket as is, without a copy");
        final ByteBuf component = ((CompositeByteBuf) frame).component(1);
        assertEquals(records.buffer.remaining(), component.readableBytes());
        records.buffer.put(records.buffer.position(), (byte) 0x77);
        assertEquals(0x77, component.getByte(component.readerIndex()), "the component is a view of the journal");
        frame.release();
        assertEquals(1, records.releases);
    }

    @Test
    @DisplayName("a frame written and flushed releases the view exactly once, when the written bytes are released")
    void releasedOnceAfterSuccess() {
        final var records = new CountingRecords(recordBytes());
        final var channel = new EmbeddedChannel();
        final ChannelFuture write = channel.writeAndFlush(frame(records));
        assertTrue(write.isSuccess());
        final ByteBuf written = channel.readOutbound();
        assertEquals(0, records.releases, "the view is held while the written bytes are");
        written.release();
        assertEquals(1, records.releases);
        channel.finishAndReleaseAll();
        assertEquals(1, records.releases);
    }

    @Test
    @DisplayName("a write that fails (channel already closed) releases the view exactly once")
    void releasedOnceAfterFailure() {
        final var records = new CountingRecords(recordBytes());
        final var channel = new EmbeddedChannel();
        channel.close();
        final ChannelFuture write = channel.writeAndFlush(frame(records));
        assertFalse(write.isSuccess());
        assertEquals(1, records.releases);
        channel.finishAndReleaseAll();
        assertEquals(1, records.releases);
    }

    @Test
    @DisplayName("a write still pending when the channel closes releases the view exactly once")
    void releasedOnceOnClose() {
        final var records = new CountingRecords(recordBytes());
        final var channel = new EmbeddedChannel();
        final ChannelFuture write = channel.write(frame(records));
        assertEquals(0, records.releases);
        channel.close();
        assertFalse(write.isSuccess());
        assertEquals(1, records.releases);
        channel.finishAndReleaseAll();
        assertEquals(1, records.releases);
    }

    @Test
    @DisplayName("a view that does not match the message's range is refused and released at once")
    void mismatchReleasedAtOnce() {
        final var records = new CountingRecords(recordBytes());
        final var wrongRange = new AppendEntries(SENDER, RECEIVER, 2, 10, 1, 13, 2, 9, List.of());
        assertThrows(
                IllegalArgumentException.class,
                () -> new FrameEncoder(WireLimits.DEFAULT)
                        .encodeAppendEntries(ByteBufAllocator.DEFAULT, GROUP, wrongRange, records));
        assertEquals(1, records.releases);
    }
}
