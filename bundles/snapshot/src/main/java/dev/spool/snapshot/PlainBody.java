package dev.spool.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;

/** An uncompressed body: the stored bytes are the content. */
final class PlainBody implements BodyCodec {
    /** Larger than an LZ4 block: with no decoding to bound it, fewer and larger system calls move the bytes. */
    static final int BUFFER_SIZE = 1 << 20;

    @Override
    public int headerBlockSize() {
        return 0;
    }

    @Override
    public boolean storesContentAsIs() {
        return true;
    }

    @Override
    public ByteBuffer newBlockBuffer() {
        return ByteBuffer.allocateDirect(BUFFER_SIZE);
    }

    @Override
    public void encode(ByteBuffer content, BodyOutput out) throws IOException {
        out.write(content);
    }

    @Override
    public void decodeNext(BodyInput in, ByteBuffer content) throws IOException {
        content.clear().limit((int) Math.min(content.capacity(), in.remaining()));
        in.readFully(content, "content");
        content.flip();
    }
}
