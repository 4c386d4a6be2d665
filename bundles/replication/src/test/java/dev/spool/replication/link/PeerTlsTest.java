package dev.spool.replication.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.spi.raft.AppendEntries;
import dev.spool.replication.LeakDetection;
import dev.spool.replication.TestKeyStores;
import dev.spool.replication.TestRecords;
import dev.spool.replication.wire.FrameEncoder;
import dev.spool.replication.wire.WireLimits;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS stage of a peer connection with an AppendEntries frame over a journal view, driven through two
 * {@link EmbeddedChannel}s whose bytes the test carries across: what the engine reads and when the view is released.
 */
@Timeout(30)
@ExtendWith(LeakDetection.class)
class PeerTlsTest {

    /** Below the 16 KiB a TLS record carries: the size Netty would coalesce with other writes by copying. */
    private static final int RECORD_BYTES = 3000;

    private static final AppendEntries MESSAGE = new AppendEntries("m1", "m2", 2, 10, 1, 20, 2, 9, List.of());

    @TempDir
    static Path stores;

    private static PeerTls tls;

    @BeforeAll
    static void makeKeyStores() {
        final TestKeyStores keys = new TestKeyStores(stores);
        keys.keyStore("m1");
        // One member on both ends is enough: this stage checks trust, identity is checked by the handshake stage.
        tls = keys.peerTls("m1", keys.trustStore("trusted", "PKCS12", "m1"));
    }

    @Test
    @DisplayName(
            "over TLS frames arrive intact, the engine alone reads the views (only its output records are allocated), each view is released once")
    void engineReadsTheViewItself() {
        final CountingAllocator allocator = new CountingAllocator();
        final EmbeddedChannel initiator = new EmbeddedChannel(tls.handler(allocator, false));
        initiator.config().setAllocator(allocator);
        final EmbeddedChannel acceptor = new EmbeddedChannel(tls.handler(allocator, true));
        handshake(initiator, acceptor);

        // Two frames written together: Netty's default would copy them into one buffer for one TLS record.
        final TestRecords first = records();
        final TestRecords second = records();
        final ByteBuf firstFrame = frame(initiator, first);
        final ByteBuf secondFrame = frame(initiator, second);
        final ByteArrayOutputStream sent = new ByteArrayOutputStream();
        sent.writeBytes(ByteBufUtil.getBytes(firstFrame));
        sent.writeBytes(ByteBufUtil.getBytes(secondFrame));
        allocator.capacities.clear();
        final ChannelFuture firstWrite = initiator.write(firstFrame);
        final ChannelFuture secondWrite = initiator.writeAndFlush(secondFrame);
        carry(initiator, acceptor);

        assertTrue(firstWrite.isSuccess() && secondWrite.isSuccess());
        final int packetSize =
                initiator.pipeline().get(SslHandler.class).engine().getSession().getPacketBufferSize();
        assertFalse(allocator.capacities.isEmpty());
        assertTrue(
                allocator.capacities.stream().allMatch(capacity -> capacity == packetSize),
                () -> "buffers other than output records of " + packetSize + " bytes: " + allocator.capacities);
        assertArrayEquals(sent.toByteArray(), received(acceptor));
        assertEquals(1, first.releases(), "the view is released once the engine encrypted it");
        assertEquals(1, second.releases());
        initiator.finishAndReleaseAll();
        acceptor.finishAndReleaseAll();
        assertEquals(1, first.releases());
        assertEquals(1, second.releases());
    }

    @Test
    @DisplayName(
            "a frame still waiting for the TLS handshake when the connection closes releases the view exactly once")
    void pendingWriteReleasedOnClose() {
        final EmbeddedChannel initiator = new EmbeddedChannel(tls.handler(ByteBufAllocator.DEFAULT, false));
        final TestRecords records = records();
        final ChannelFuture write = initiator.writeAndFlush(frame(initiator, records));
        assertFalse(write.isDone(), "no peer answered the TLS handshake: the frame waits");
        assertEquals(0, records.releases());

        initiator.close();
        assertFalse(write.isSuccess());
        assertEquals(1, records.releases());
        initiator.finishAndReleaseAll();
        assertEquals(1, records.releases());
    }

    private static TestRecords records() {
        final byte[] bytes = new byte[RECORD_BYTES];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 13);
        }
        return new TestRecords(MESSAGE, bytes);
    }

    private static ByteBuf frame(EmbeddedChannel channel, TestRecords records) {
        return new FrameEncoder(WireLimits.DEFAULT).encodeAppendEntries(channel.alloc(), "g", MESSAGE, records);
    }

    /** Carries the TLS handshake's bytes back and forth until both ends finished it. */
    private static void handshake(EmbeddedChannel initiator, EmbeddedChannel acceptor) {
        final SslHandler initiating = initiator.pipeline().get(SslHandler.class);
        final SslHandler accepting = acceptor.pipeline().get(SslHandler.class);
        while (!initiating.handshakeFuture().isDone()
                || !accepting.handshakeFuture().isDone()) {
            carry(initiator, acceptor);
            carry(acceptor, initiator);
        }
        assertTrue(initiating.handshakeFuture().isSuccess()
                && accepting.handshakeFuture().isSuccess());
    }

    private static void carry(EmbeddedChannel from, EmbeddedChannel to) {
        for (ByteBuf bytes = from.readOutbound(); bytes != null; bytes = from.readOutbound()) {
            to.writeInbound(bytes);
        }
    }

    private static byte[] received(EmbeddedChannel channel) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (ByteBuf decrypted = channel.readInbound(); decrypted != null; decrypted = channel.readInbound()) {
            bytes.writeBytes(ByteBufUtil.getBytes(decrypted));
            decrypted.release();
        }
        return bytes.toByteArray();
    }

    /** Records the capacity of every buffer allocated. */
    private static final class CountingAllocator extends AbstractByteBufAllocator {

        final List<Integer> capacities = new ArrayList<>();

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            capacities.add(initialCapacity);
            return new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            capacities.add(initialCapacity);
            return new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }
}
