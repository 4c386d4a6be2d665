package dev.spool.replication.link;

import dev.spool.replication.wire.WireLimits;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.nio.ByteOrder;

/**
 * Cuts the byte stream into whole frames, each handed on with its 4-byte length prefix. A length that would make a
 * frame larger than the limit fails at once, before its bytes arrive, so a hostile length never makes the member
 * buffer more than one frame's limit; the failure reaches the connection's stage, which closes the connection.
 */
final class FrameSplitter extends LengthFieldBasedFrameDecoder {

    FrameSplitter(WireLimits limits) {
        super(ByteOrder.BIG_ENDIAN, limits.maxFrameBytes(), 0, Integer.BYTES, 0, 0, true);
    }
}
