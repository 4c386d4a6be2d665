package dev.spool.api.codec;

import java.io.DataInput;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Where a {@link PayloadCodec} reads one entry's payload: a {@link DataInput} over the stored bytes of exactly that
 * payload (for the journal, the mapped memory of a segment), whose checksum was verified before the codec sees it.
 *
 * <p>Reading past the payload's end throws {@link EOFException}, never reads a neighbouring entry. A source is valid
 * only during the call it is handed to, and only on that call's thread; a codec must not keep it or any view of it.
 */
public interface EntrySource extends DataInput {

    /**
     * Returns how many payload bytes are left to read.
     *
     * @return the unread payload length
     */
    int remaining();

    /**
     * Returns how many payload bytes were read so far.
     *
     * @return the read position within the payload
     */
    int position();

    /**
     * Fills {@code target} from its position to its limit with the next payload bytes; the target's position
     * advances to its limit.
     *
     * @param target where to copy the bytes
     * @throws EOFException if fewer than {@code target.remaining()} payload bytes are left
     */
    void readFully(ByteBuffer target) throws IOException;

    /**
     * Returns an {@link InputStream} view of the rest of the payload, for decoders written against streams. The view
     * is owned by the source (no allocation per call), ends at the payload's end, and is valid exactly as long as the
     * source.
     *
     * @return a stream over the unread payload bytes
     */
    InputStream asInputStream();
}
