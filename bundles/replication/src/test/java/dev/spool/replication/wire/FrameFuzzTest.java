package dev.spool.replication.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.spool.replication.LeakDetection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fuzz targets of the frame decoder, one per frame type: the input is a frame's body (what follows the type byte),
 * so the fuzzer spends its time inside that type's fields. The property, for any bytes: decoding either yields a
 * frame that encodes back to exactly the same bytes, or throws {@link WireFormatException}; any other exception, an
 * out-of-memory error or a hang is a finding. Without {@code JAZZER_FUZZ} each target replays its seed corpus
 * (src/test/resources/.../FrameFuzzTestInputs/&lt;target&gt;/, made by {@link SeedCorpusWriter}).
 */
@ExtendWith(LeakDetection.class)
class FrameFuzzTest {

    /** Small enough that the fuzzer reaches the limit; large enough for every seed. */
    private static final WireLimits LIMITS = new WireLimits(WireLimits.MIN_FRAME_BYTES);

    private static void decodesToTheSameBytesOrRefuses(FrameType type, byte[] body) {
        final ByteBuf frame = Unpooled.buffer(5 + body.length)
                .writeInt(1 + body.length)
                .writeByte(type.code())
                .writeBytes(body);
        final byte[] received = ByteBufUtil.getBytes(frame);
        final Frame decoded;
        try {
            decoded = new FrameDecoder(LIMITS).decode(frame, SampleFrames.SENDER, SampleFrames.RECEIVER);
        } catch (WireFormatException refused) {
            return;
        }
        final ByteBuf encoded = Unpooled.buffer(received.length);
        new FrameEncoder(LIMITS).encode(decoded, encoded);
        assertArrayEquals(received, ByteBufUtil.getBytes(encoded), decoded::toString);
    }

    @FuzzTest
    void handshake(byte[] body) {
        decodesToTheSameBytesOrRefuses(FrameType.HANDSHAKE, body);
    }

    @FuzzTest
    void handshakeAccepted(byte[] body) {
        decodesToTheSameBytesOrRefuses(FrameType.HANDSHAKE_ACCEPTED, body);
    }

    @FuzzTest
    void goodbye(byte[] body) {
        decodesToTheSameBytesOrRefuses(FrameType.GOODBYE, body);
    }

    @FuzzTest
    void keepAlive(byte[] body) {
        decodesToTheSameBytesOrRefuses(FrameType.KEEP_ALIVE, body);
    }

    @FuzzTest
    void credit(byte[] body) {
        decodesToTheSameBytesOrRefuses(FrameType.CREDIT, body);
    }

    @FuzzTest
    void voteRequest(byte[] body) {
        decodesToTheSameBytesOrRefuses(FrameType.VOTE_REQUEST, body);
    }

    @FuzzTest
    void voteResponse(byte[] body) {
        decodesToTheSameBytesOrRefuses(FrameType.VOTE_RESPONSE, body);
    }

    @FuzzTest
    void appendEntries(byte[] body) {
        decodesToTheSameBytesOrRefuses(FrameType.APPEND_ENTRIES, body);
    }

    @FuzzTest
    void appendResponse(byte[] body) {
        decodesToTheSameBytesOrRefuses(FrameType.APPEND_RESPONSE, body);
    }

    @FuzzTest
    void heartbeat(byte[] body) {
        decodesToTheSameBytesOrRefuses(FrameType.HEARTBEAT, body);
    }

    @FuzzTest
    void heartbeatResponse(byte[] body) {
        decodesToTheSameBytesOrRefuses(FrameType.HEARTBEAT_RESPONSE, body);
    }

    @FuzzTest
    void installSnapshot(byte[] body) {
        decodesToTheSameBytesOrRefuses(FrameType.INSTALL_SNAPSHOT, body);
    }

    @FuzzTest
    void snapshotResponse(byte[] body) {
        decodesToTheSameBytesOrRefuses(FrameType.SNAPSHOT_RESPONSE, body);
    }

    @FuzzTest
    void timeoutNow(byte[] body) {
        decodesToTheSameBytesOrRefuses(FrameType.TIMEOUT_NOW, body);
    }

    @FuzzTest
    void forwardProposal(byte[] body) {
        decodesToTheSameBytesOrRefuses(FrameType.FORWARD_PROPOSAL, body);
    }

    @FuzzTest
    void forwardResult(byte[] body) {
        decodesToTheSameBytesOrRefuses(FrameType.FORWARD_RESULT, body);
    }

    @FuzzTest
    void readIndexRequest(byte[] body) {
        decodesToTheSameBytesOrRefuses(FrameType.READ_INDEX_REQUEST, body);
    }

    @FuzzTest
    void readIndexResponse(byte[] body) {
        decodesToTheSameBytesOrRefuses(FrameType.READ_INDEX_RESPONSE, body);
    }
}
