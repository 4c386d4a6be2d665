package dev.spool.api.codec;

import java.io.IOException;

/**
 * Turns an application's payload objects into entry bytes and back, by streaming: {@link #encode} writes into an
 * {@link EntrySink} placed directly in storage, {@link #decode} reads from an {@link EntrySource} over the stored
 * bytes. A codec never sees, and should never build, a {@code byte[]} of a whole entry.
 *
 * <p>Implementations must be stateless or thread-safe: the journal's writer and any number of readers may call one
 * codec concurrently, each with its own sink or source.
 *
 * <p><b>What a caller may keep of {@link #decode}'s result.</b> The decoded object is the caller's only until the
 * next {@code decode} of the same codec on the same thread: a codec may hand out one reused object per thread, as an
 * allocation-conscious codec does. A caller that keeps a decoded object longer, or hands it to another thread, must
 * copy it first. A Raft group follows this rule: it decodes an entry on its apply thread and passes the object to
 * {@code StateMachine.apply}, keeping nothing of it once that call returns (a state machine fed by a reusing codec
 * copies what it keeps); bytes it must keep or pass on (a proposal a follower forwarded, which the leader appends as
 * it arrived) it keeps as bytes, never as a decoded object.
 *
 * @param <T> the payload type
 */
public interface PayloadCodec<T> {

    /**
     * Writes {@code payload} into {@code sink}. The codec must write the same bytes for the same payload every time
     * (a failed append may be retried).
     *
     * @param payload the payload to encode, never {@code null}
     * @param sink where to write, valid only during this call
     * @throws IOException if the sink refuses the bytes (for example the entry grew too large)
     */
    void encode(T payload, EntrySink sink) throws IOException;

    /**
     * Reads one payload from {@code source}, which holds exactly the bytes {@link #encode} wrote.
     *
     * @param source the payload bytes, valid only during this call
     * @return the decoded payload, the caller's until the next {@code decode} of this codec on this thread (a codec
     *     may reuse one object per thread)
     * @throws IOException if the bytes do not form a payload of this codec
     */
    T decode(EntrySource source) throws IOException;

    /**
     * Returns the exact encoded size of {@code payload} if the codec can tell cheaply, or {@code -1}. Storage uses it
     * to place an entry where it fits before any byte is written; without it, an entry that overflows the space
     * left in a segment has its partial bytes moved once to the next segment.
     *
     * @param payload the payload that is about to be encoded
     * @return the encoded size in bytes, or {@code -1} if unknown
     */
    default int encodedSize(T payload) {
        return -1;
    }
}
