package dev.spool.api.spi.journal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The layout of one journal record, the one owner of it: the journal writes and reads records through it, a
 * follower checks and walks the records a leader sent ({@link RawRecords}) through it, the transport sizes them with
 * it (see {@code docs/journal-format.md}). All values are big-endian.
 *
 * <pre>
 * offset  size  field
 *      0     4  crc     CRC32C of bytes [4, length) of the record
 *      4     4  length  whole record length, header included (at least {@link #HEADER_LENGTH})
 *      8     8  index   the entry's index
 *     16     8  term    the entry's term
 *     24     4  flags   bit 0: always durable; other bits zero
 *     28     n  payload
 * </pre>
 *
 * A zero {@code length} marks the end of the written records: segments are zeroed before use and after truncation.
 *
 * <p>The accessors read one field of the record at {@code offset} of a buffer, absolutely: position and limit stay.
 */
public final class RecordDescriptor {

    /** Offset of the checksum. */
    public static final int CRC_OFFSET = 0;
    /** Offset of the record length. */
    public static final int LENGTH_OFFSET = 4;
    /** Offset of the entry index. */
    public static final int INDEX_OFFSET = 8;
    /** Offset of the entry term. */
    public static final int TERM_OFFSET = 16;
    /** Offset of the flags. */
    public static final int FLAGS_OFFSET = 24;
    /** Length of the record header; the payload starts here. */
    public static final int HEADER_LENGTH = 28;
    /** Flag: the record must be forced, with everything before it, as soon as it is appended. */
    public static final int FLAG_DURABLE = 1;
    /** Every flag this format version knows. */
    public static final int KNOWN_FLAGS = FLAG_DURABLE;

    private RecordDescriptor() {}

    /** @return the stored checksum of the record at {@code offset} */
    public static int storedChecksum(ByteBuffer buffer, int offset) {
        return buffer.getInt(offset + CRC_OFFSET);
    }

    /** @return the whole length, header included, of the record at {@code offset} */
    public static int length(ByteBuffer buffer, int offset) {
        return buffer.getInt(offset + LENGTH_OFFSET);
    }

    /** @return the entry index of the record at {@code offset} */
    public static long index(ByteBuffer buffer, int offset) {
        return buffer.getLong(offset + INDEX_OFFSET);
    }

    /** @return the entry term of the record at {@code offset} */
    public static long term(ByteBuffer buffer, int offset) {
        return buffer.getLong(offset + TERM_OFFSET);
    }

    /** @return the flags of the record at {@code offset} */
    public static int flags(ByteBuffer buffer, int offset) {
        return buffer.getInt(offset + FLAGS_OFFSET);
    }

    /**
     * Computes the checksum of the record at {@code offset} of length {@code length} in {@code view}. The view's
     * position and limit are moved; its content is not.
     *
     * @param crc a reusable checksum
     * @param view a view of the segment, owned by the caller's thread
     * @param offset where the record starts
     * @param length the record length
     * @return the checksum as stored in the crc field
     */
    public static int checksum(CRC32C crc, ByteBuffer view, int offset, int length) {
        view.limit(offset + length).position(offset + LENGTH_OFFSET);
        crc.reset();
        crc.update(view);
        return (int) crc.getValue();
    }

    /**
     * Describes what is wrong with the record header at {@code offset}, or returns {@code null} if it is a plausible
     * record with {@code expectedIndex} that fits before {@code end}. The checksum is not verified here.
     *
     * @param buffer the segment
     * @param offset where the record starts
     * @param end the first byte past the area records may use
     * @param expectedIndex the index the record must carry
     * @return the problem, or {@code null}
     */
    public static String headerProblem(ByteBuffer buffer, int offset, int end, long expectedIndex) {
        if (end - offset < HEADER_LENGTH) {
            return "no room for a record header";
        }
        int length = buffer.getInt(offset + LENGTH_OFFSET);
        if (length == 0) {
            return "no record (zero length)";
        }
        if (length < HEADER_LENGTH || length > end - offset) {
            return "record length " + length + " is impossible here";
        }
        long index = buffer.getLong(offset + INDEX_OFFSET);
        if (index != expectedIndex) {
            return "record index " + index + " where " + expectedIndex + " was expected";
        }
        int flags = buffer.getInt(offset + FLAGS_OFFSET);
        if ((flags & ~KNOWN_FLAGS) != 0) {
            return "unknown record flags 0x" + Integer.toHexString(flags);
        }
        return null;
    }
}
