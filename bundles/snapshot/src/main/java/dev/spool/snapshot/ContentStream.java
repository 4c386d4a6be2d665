package dev.spool.snapshot;

import dev.spool.api.spi.snapshot.CorruptSnapshotException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The content of a snapshot as the state machine wrote it, decoded block by block. Reading the last stored byte checks
 * the body checksum and the content length before the last content is handed out: whatever the reads, the content
 * up to its end is only ever given out of a body that passed its checksum, and a stream that returns -1 has
 * delivered exactly the bytes that were committed.
 * Used by one thread.
 */
final class ContentStream extends InputStream {
    private final BodyInput body;
    private final BodyCodec codec;
    private final long expectedLength;
    private final ByteBuffer content;
    private long delivered;
    private boolean verified;

    ContentStream(BodyInput body, BodyCodec codec, long expectedLength) {
        this.body = body;
        this.codec = codec;
        this.expectedLength = expectedLength;
        this.content = codec.newBlockBuffer().limit(0);
    }

    @Override
    public int read() throws IOException {
        return fill() ? content.get() & 0xFF : -1;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, target.length);
        if (length == 0) {
            return 0;
        }
        if (codec.storesContentAsIs()
                && !content.hasRemaining()
                && length >= content.capacity()
                && body.remaining() > 0) {
            // Nothing to decode: a large read goes straight into the caller's array, saving one copy.
            final int count = (int) Math.min(length, body.remaining());
            body.readFully(ByteBuffer.wrap(target, offset, count), "content");
            delivered += count;
            verifyIfConsumed();
            return count;
        }
        if (!fill()) {
            return -1;
        }
        final int count = Math.min(length, content.remaining());
        content.get(target, offset, count);
        return count;
    }

    @Override
    public int available() {
        return content.remaining();
    }

    /** Makes content available; returns false at the verified end. */
    private boolean fill() throws IOException {
        while (!content.hasRemaining()) {
            if (body.remaining() == 0) {
                verifyEnd();
                return false;
            }
            codec.decodeNext(body, content);
            delivered += content.remaining();
            verifyIfConsumed();
        }
        return true;
    }

    /**
     * Checks the body once its last stored byte is read, before the content decoded from it is handed out: a reader
     * that stops at exactly the content length, never asking for the end of the stream, is checked all the same.
     */
    private void verifyIfConsumed() throws CorruptSnapshotException {
        if (body.remaining() == 0) {
            verifyEnd();
        }
    }

    private void verifyEnd() throws CorruptSnapshotException {
        if (verified) {
            return;
        }
        body.verifyChecksum();
        if (delivered != expectedLength) {
            throw new CorruptSnapshotException(
                    body.file(),
                    body.position(),
                    "body decodes to " + delivered + " bytes, the header says " + expectedLength);
        }
        verified = true;
    }
}
