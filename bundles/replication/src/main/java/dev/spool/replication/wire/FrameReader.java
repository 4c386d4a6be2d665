package dev.spool.replication.wire;

import io.netty.buffer.ByteBuf;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked cursor over one received frame. Every read names its field, so a failure becomes a
 * {@link WireFormatException} naming the frame type, the field and its offset; nothing is read past the frame.
 * Strings are strict UTF-8: malformed, overlong and surrogate encodings are refused, so a decoded string encodes
 * back to exactly the bytes received.
 *
 * <p>Not thread-safe: one reader per decoding thread.
 */
final class FrameReader {

    private final CharsetDecoder utf8 = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    private ByteBuf frame;
    private int start;
    private String frameType;

    /**
     * Starts reading a frame.
     *
     * @param buffer the frame, from its length prefix (readable bytes) to its end
     */
    void begin(ByteBuf buffer) {
        this.frame = buffer;
        this.start = buffer.readerIndex();
        this.frameType = WireFormatException.UNKNOWN_TYPE;
    }

    /**
     * Names the frame type in later errors, once it is known.
     *
     * @param type the frame type
     */
    void typeIs(FrameType type) {
        this.frameType = type.displayName();
    }

    /**
     * Returns the current offset from the frame's start.
     *
     * @return the offset of the next field
     */
    int offset() {
        return frame.readerIndex() - start;
    }

    /**
     * Returns an error about a field.
     *
     * @param field the field
     * @param at the field's offset
     * @param problem what is wrong
     * @return the exception to throw
     */
    WireFormatException malformed(String field, int at, String problem) {
        return new WireFormatException(frameType, field, at, problem);
    }

    /**
     * Returns an error about a field whose value a message refused.
     *
     * @param field the field
     * @param at the field's offset
     * @param refusal the message's refusal
     * @return the exception to throw
     */
    WireFormatException invalid(String field, int at, IllegalArgumentException refusal) {
        return new WireFormatException(frameType, field, at, refusal.getMessage(), refusal);
    }

    private void require(String field, int bytes) throws WireFormatException {
        if (frame.readableBytes() < bytes) {
            throw malformed(
                    field,
                    offset(),
                    "truncated: needs " + bytes + " bytes, " + frame.readableBytes() + " left in the frame");
        }
    }

    int readUnsignedByte(String field) throws WireFormatException {
        require(field, 1);
        return frame.readUnsignedByte();
    }

    int readUnsignedShort(String field) throws WireFormatException {
        require(field, 2);
        return frame.readUnsignedShort();
    }

    long readUnsignedInt(String field) throws WireFormatException {
        require(field, 4);
        return frame.readUnsignedInt();
    }

    /**
     * Reads a flags byte that may only have some bits set (unknown bits would be lost on re-encoding).
     *
     * @param field the field
     * @param allowed the bits that may be set
     * @return the flags
     * @throws WireFormatException if the frame ends or another bit is set
     */
    int readFlags(String field, int allowed) throws WireFormatException {
        final int at = offset();
        final int flags = readUnsignedByte(field);
        if ((flags & ~allowed) != 0) {
            throw malformed(field, at, String.format("unknown flag bits 0x%02x", flags & ~allowed));
        }
        return flags;
    }

    /**
     * Reads a signed 8-byte value, any value allowed (identifiers drawn at random, such as session ids).
     *
     * @param field the field
     * @return the value
     * @throws WireFormatException if the frame ends
     */
    long readLong(String field) throws WireFormatException {
        require(field, 8);
        return frame.readLong();
    }

    /**
     * Reads a signed 8-byte value that must not be negative (terms, indexes, offsets, contexts).
     *
     * @param field the field
     * @return the value
     * @throws WireFormatException if the frame ends or the value is negative
     */
    long readNonNegativeLong(String field) throws WireFormatException {
        require(field, 8);
        final int at = offset();
        final long value = frame.readLong();
        if (value < 0) {
            throw malformed(field, at, "negative value " + value);
        }
        return value;
    }

    /**
     * Reads a string: a 2-byte byte count, then that many bytes of UTF-8.
     *
     * @param field the field
     * @param maxLength the longest string allowed, in characters
     * @return the string
     * @throws WireFormatException if the frame ends, or the string is too long or not UTF-8
     */
    String readString(String field, int maxLength) throws WireFormatException {
        final int at = offset();
        final int byteCount = readUnsignedShort(field);
        // A Java character takes at most 3 bytes of UTF-8 (a surrogate pair, two characters, takes 4).
        if (byteCount > 3 * maxLength) {
            throw malformed(field, at, byteCount + " bytes exceed the limit of " + maxLength + " characters");
        }
        require(field, byteCount);
        final String value;
        try {
            value = utf8.reset()
                    .decode(frame.nioBuffer(frame.readerIndex(), byteCount))
                    .toString();
        } catch (CharacterCodingException e) {
            throw malformed(field, at, "not valid UTF-8 (" + e.getMessage() + ")");
        }
        if (value.length() > maxLength) {
            throw malformed(field, at, value.length() + " characters exceed the limit of " + maxLength);
        }
        frame.skipBytes(byteCount);
        return value;
    }

    /**
     * Reads a name that follows {@link Identifiers}' rule.
     *
     * @param field the field
     * @param maxLength the longest name allowed, in characters
     * @return the name
     * @throws WireFormatException if the string cannot be read or breaks the rule
     */
    String readIdentifier(String field, int maxLength) throws WireFormatException {
        final int at = offset();
        final String name = readString(field, maxLength);
        final String problem = Identifiers.problem(name, maxLength);
        if (problem != null) {
            throw malformed(field, at, problem);
        }
        return name;
    }

    /**
     * Reads a name that follows {@link Identifiers}' rule, answering a name the connection sent before with the
     * string decoded then: no allocation for a known name. An unknown name is decoded and checked as by
     * {@link #readIdentifier(String, int)}, then kept if the table has room.
     *
     * @param field the field
     * @param maxLength the longest name allowed, in characters (the same for every read with this table)
     * @param known the names this field already carried on the connection
     * @return the name
     * @throws WireFormatException if the string cannot be read or breaks the rule
     */
    String readIdentifier(String field, int maxLength, KnownNames known) throws WireFormatException {
        final int lengthAt = frame.readerIndex();
        if (frame.readableBytes() >= Short.BYTES) {
            final int byteCount = frame.getUnsignedShort(lengthAt);
            if (frame.readableBytes() - Short.BYTES >= byteCount) {
                final String name = known.find(frame, lengthAt + Short.BYTES, byteCount);
                if (name != null) {
                    frame.skipBytes(Short.BYTES + byteCount);
                    return name;
                }
            }
        }
        final String name = readIdentifier(field, maxLength);
        known.add(name);
        return name;
    }

    /**
     * Takes the rest of the frame as a slice (no copy, no new reference: valid as long as the frame is).
     *
     * @return the remaining bytes
     */
    ByteBuf readRest() {
        return frame.readSlice(frame.readableBytes());
    }

    /**
     * Checks that the whole frame was read.
     *
     * @throws WireFormatException if bytes are left over
     */
    void expectEnd() throws WireFormatException {
        if (frame.isReadable()) {
            throw malformed("end of frame", offset(), frame.readableBytes() + " trailing bytes");
        }
    }
}
