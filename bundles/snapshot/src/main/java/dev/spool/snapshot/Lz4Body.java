package dev.spool.snapshot;

import dev.spool.api.spi.snapshot.CorruptSnapshotException;
import java.io.IOException;
import java.nio.ByteBuffer;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * A body of LZ4 blocks, each decodable on its own. A block is framed as: kind (1 byte: 0 stored as is, 1 LZ4),
 * content length (4 bytes), stored length (4 bytes), then the stored bytes. Content that LZ4 does not shrink is
 * stored as is. Decoding uses the safe decompressor, which never reads or writes outside the given bounds, and
 * checks every length against the header's block size before it allocates or reads anything.
 */
final class Lz4Body implements BodyCodec {
    static final int FRAME_LENGTH = 9;
    static final byte KIND_STORED = 0;
    static final byte KIND_LZ4 = 1;

    /** Pure Java, so the bundle needs no native library; the safe decompressor checks every bound. */
    private static final LZ4Factory LZ4 = LZ4Factory.fastestJavaInstance();

    private final int blockSize;
    private final LZ4Compressor compressor = LZ4.fastCompressor();
    private final LZ4SafeDecompressor decompressor = LZ4.safeDecompressor();
    private final ByteBuffer frame = ByteBuffer.allocate(FRAME_LENGTH);
    private final ByteBuffer compressed;

    Lz4Body(int blockSize) {
        this.blockSize = blockSize;
        this.compressed = ByteBuffer.allocate(compressor.maxCompressedLength(blockSize));
    }

    @Override
    public int headerBlockSize() {
        return blockSize;
    }

    @Override
    public boolean storesContentAsIs() {
        return false;
    }

    @Override
    public ByteBuffer newBlockBuffer() {
        return ByteBuffer.allocate(blockSize);
    }

    @Override
    public void encode(ByteBuffer content, BodyOutput out) throws IOException {
        final int contentLength = content.remaining();
        final int storedLength = compressor.compress(
                content.array(),
                content.arrayOffset() + content.position(),
                contentLength,
                compressed.array(),
                0,
                compressed.capacity());
        final boolean shrinks = storedLength < contentLength;
        frame.clear()
                .put(shrinks ? KIND_LZ4 : KIND_STORED)
                .putInt(contentLength)
                .putInt(shrinks ? storedLength : contentLength)
                .flip();
        out.write(frame);
        if (shrinks) {
            out.write(compressed.clear().limit(storedLength));
            content.position(content.limit());
        } else {
            out.write(content);
        }
    }

    @Override
    public void decodeNext(BodyInput in, ByteBuffer content) throws IOException {
        final long frameOffset = in.position();
        in.readFully(frame.clear(), "block frame");
        final byte kind = frame.get(0);
        final int contentLength = frame.getInt(1);
        final int storedLength = frame.getInt(5);
        if (kind != KIND_STORED && kind != KIND_LZ4) {
            throw corrupt(in, frameOffset, "unknown block kind " + kind);
        }
        if (contentLength < 1 || contentLength > blockSize) {
            throw corrupt(in, frameOffset, "content length " + contentLength + " outside [1, " + blockSize + "]");
        }
        if (kind == KIND_STORED
                ? storedLength != contentLength
                : storedLength < 1 || storedLength > compressed.capacity()) {
            throw corrupt(
                    in,
                    frameOffset,
                    "stored length " + storedLength + " is not valid for a block of " + contentLength + " bytes");
        }
        content.clear();
        if (kind == KIND_STORED) {
            in.readFully(content.limit(contentLength), "block");
            content.flip();
            return;
        }
        in.readFully(compressed.clear().limit(storedLength), "block");
        final int decoded;
        try {
            decoded = decompressor.decompress(compressed.array(), 0, storedLength, content.array(), 0, contentLength);
        } catch (LZ4Exception e) {
            throw corrupt(in, frameOffset, "LZ4 data does not decode: " + e.getMessage());
        }
        if (decoded != contentLength) {
            throw corrupt(
                    in, frameOffset, "LZ4 data decodes to " + decoded + " bytes, the frame says " + contentLength);
        }
        content.limit(decoded);
    }

    private static CorruptSnapshotException corrupt(BodyInput in, long frameOffset, String reason) {
        return new CorruptSnapshotException(in.file(), frameOffset, "compressed block: " + reason);
    }
}
