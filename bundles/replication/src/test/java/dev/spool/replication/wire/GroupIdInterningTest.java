package dev.spool.replication.wire;

import static dev.spool.replication.wire.SampleFrames.GROUP;
import static dev.spool.replication.wire.SampleFrames.LONG_GROUP;
import static dev.spool.replication.wire.SampleFrames.RECEIVER;
import static dev.spool.replication.wire.SampleFrames.SENDER;
import static dev.spool.replication.wire.SampleFrames.encode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.replication.LeakDetection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A connection's decoder answers the group ids it has seen with the strings decoded the first time. */
@ExtendWith(LeakDetection.class)
class GroupIdInterningTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int WARM_UP = 50_000;
    private static final int MEASURED = 100_000;
    /** The group id's 2-byte length follows the 4-byte length prefix and the type byte. */
    private static final int LENGTH_OF_PREFIX_AND_TYPE = WireFormat.LENGTH_PREFIX_BYTES + 1;

    private final FrameDecoder decoder = new FrameDecoder(WireLimits.DEFAULT);

    private Credit decode(ByteBuf frame) throws WireFormatException {
        frame.readerIndex(0);
        return (Credit) decoder.decode(frame, SENDER, RECEIVER);
    }

    private static ByteBuf credit(String group) {
        return Unpooled.wrappedBuffer(encode(new Credit(group, 7, 4096)));
    }

    @Test
    @DisplayName("a known group id is the same String every time, for a short ASCII and a long multi-byte one")
    void knownGroupIdIsTheSameString() throws Exception {
        for (String group : new String[] {GROUP, LONG_GROUP}) {
            final ByteBuf frame = credit(group);
            final String first = decode(frame).group();
            assertEquals(group, first);
            assertNotSame(group, first, "decoded from the bytes, not taken from the sender");
            assertSame(first, decode(frame).group());
            assertSame(first, decode(credit(group)).group());
        }
    }

    @Test
    @DisplayName("decoding a Credit frame of a known group allocates no more than its Credit record (< 40 B/frame)")
    void knownGroupIdAllocatesNothing() throws Exception {
        // Not tracked by the leak detector, whose access records would be counted as the decoder's allocations.
        final ByteBuf frame = new UnpooledByteBufAllocator(true, true)
                .directBuffer()
                .writeBytes(encode(new Credit(LONG_GROUP, 7, 4096)));
        long checksum = 0;
        for (int i = 0; i < WARM_UP; i++) {
            checksum += decode(frame).entries();
        }
        final long thread = Thread.currentThread().getId();
        final long before = THREADS.getThreadAllocatedBytes(thread);
        for (int i = 0; i < MEASURED; i++) {
            checksum += decode(frame).entries();
        }
        final long allocated = THREADS.getThreadAllocatedBytes(thread) - before;
        frame.release();
        assertEquals(7L * (WARM_UP + MEASURED), checksum);
        assertTrue(
                allocated < 40L * MEASURED,
                allocated + " bytes allocated decoding " + MEASURED + " frames (" + (double) allocated / MEASURED
                        + " per frame)");
    }

    @Test
    @DisplayName("a peer naming ever new groups cannot grow the table past its capacity; every name still decodes")
    void tableIsBounded() throws Exception {
        final KnownNames known = new KnownNames();
        final FrameReader reader = new FrameReader();
        for (int i = 0; i < 3 * KnownNames.CAPACITY; i++) {
            final ByteBuf name = Unpooled.buffer();
            final String group = "group-" + i;
            name.writeShort(group.length()).writeBytes(group.getBytes(StandardCharsets.UTF_8));
            reader.begin(name);
            assertEquals(group, reader.readIdentifier("group", WireLimits.MAX_GROUP_ID_LENGTH, known));
            assertEquals(0, name.readableBytes());
        }
        assertEquals(KnownNames.CAPACITY, known.size());
    }

    @Test
    @DisplayName("bytes that differ from a known name in one byte, or are truncated, are decoded and checked afresh")
    void nearMissesAreDecodedStrictly() throws Exception {
        final byte[] good = encode(new Credit(GROUP, 7, 4096));
        decode(Unpooled.wrappedBuffer(good));
        final byte[] control = good.clone();
        control[LENGTH_OF_PREFIX_AND_TYPE + 2] = 0x07;
        final WireFormatException refused =
                assertThrows(WireFormatException.class, () -> decode(Unpooled.wrappedBuffer(control)));
        assertTrue(refused.getMessage().contains("white space or a control character"), refused.getMessage());
        final byte[] other = good.clone();
        other[LENGTH_OF_PREFIX_AND_TYPE + 2] = 'D';
        assertEquals("Default", decode(Unpooled.wrappedBuffer(other)).group());
        final byte[] truncated = Arrays.copyOf(good, LENGTH_OF_PREFIX_AND_TYPE + 4);
        truncated[3] = (byte) (truncated.length - WireFormat.LENGTH_PREFIX_BYTES);
        final WireFormatException cut =
                assertThrows(WireFormatException.class, () -> decode(Unpooled.wrappedBuffer(truncated)));
        assertTrue(cut.getMessage().contains("group"), cut.getMessage());
    }
}
