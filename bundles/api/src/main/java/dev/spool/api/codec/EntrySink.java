package dev.spool.api.codec;

import java.io.DataOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Where a {@link PayloadCodec} writes one entry's payload: a {@link DataOutput} positioned directly inside the storage
 * that will hold the entry (for the journal, the mapped memory of the active segment). Nothing the codec writes is
 * copied into an intermediate buffer of the whole entry.
 *
 * <p>Multi-byte values are big-endian, as {@link DataOutput} specifies. A sink is valid only during the
 * {@link PayloadCodec#encode} call it is handed to, and only on the thread making that call; a codec must not keep
 * it. When the payload grows past the largest entry the storage accepts, the write that crosses the limit throws
 * {@link IOException} (the journal's {@code EntryTooLargeException}) and the append is abandoned without trace.
 */
public interface EntrySink extends DataOutput {

    /**
     * Returns how many payload bytes this sink has received so far.
     *
     * @return the payload length written so far
     */
    int position();

    /**
     * Copies all remaining bytes of {@code source} into the payload; the source's position advances to its limit.
     * This is the bulk path for payloads that already live in a (direct or heap) buffer.
     *
     * @param source the bytes to copy
     * @throws IOException if the payload would exceed the largest accepted entry, or the storage fails
     */
    void write(ByteBuffer source) throws IOException;

    /**
     * Returns an {@link OutputStream} view of this sink, for encoders written against streams. The view is owned by
     * the sink (no allocation per call) and is valid exactly as long as the sink; closing it does nothing.
     *
     * @return a stream writing into this sink
     */
    OutputStream asOutputStream();
}
