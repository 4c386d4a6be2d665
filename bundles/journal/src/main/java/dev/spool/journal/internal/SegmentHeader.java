package dev.spool.journal.internal;

import dev.spool.api.spi.journal.CorruptJournalException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The 64-byte header at the start of every segment file (see {@code docs/journal-format.md}). Big-endian.
 *
 * <pre>
 * offset  size  field
 *      0     4  magic        0x53504A4C ("SPJL")
 *      4     2  version      1
 *      6     2  headerSize   64
 *      8     8  epoch        the journal epoch the segment belongs to (raised by every reset)
 *     16     8  firstIndex   the index of the segment's first record
 *     24     4  segmentSize  the file's length in bytes
 *     28    32  reserved     zero
 *     60     4  crc          CRC32C of bytes [0, 60)
 * </pre>
 *
 * @param epoch the journal epoch
 * @param firstIndex the index of the first record
 * @param segmentSize the segment file's length
 */
public record SegmentHeader(long epoch, long firstIndex, int segmentSize) {

    /** The magic number: "SPJL". */
    public static final int MAGIC = 0x53504A4C;
    /** The format version written and understood. */
    public static final short VERSION = 1;
    /** Size of the header; records start here. */
    public static final int SIZE = 64;

    private static final int CRC_OFFSET = 60;

    /**
     * Writes this header at the start of {@code segment}.
     *
     * @param segment the segment's mapping
     */
    public void writeTo(ByteBuffer segment) {
        segment.putInt(0, MAGIC);
        segment.putShort(4, VERSION);
        segment.putShort(6, (short) SIZE);
        segment.putLong(8, epoch);
        segment.putLong(16, firstIndex);
        segment.putInt(24, segmentSize);
        for (int i = 28; i < CRC_OFFSET; i += Long.BYTES) {
            segment.putLong(i, 0L);
        }
        segment.putInt(CRC_OFFSET, checksum(segment));
    }

    /**
     * Reads and checks the header of a segment file.
     *
     * @param header at least the first {@link #SIZE} bytes of the file, from index 0
     * @param file the file, for error messages
     * @param fileSize the file's actual length
     * @return the header
     * @throws CorruptJournalException naming the file and the failed check
     */
    public static SegmentHeader read(ByteBuffer header, Path file, long fileSize) throws CorruptJournalException {
        if (fileSize < SIZE) {
            throw new CorruptJournalException(
                    file, 0, "file of " + fileSize + " bytes is too short for a segment header");
        }
        int magic = header.getInt(0);
        if (magic != MAGIC) {
            throw new CorruptJournalException(file, 0, "bad segment magic 0x" + Integer.toHexString(magic));
        }
        int storedCrc = header.getInt(CRC_OFFSET);
        if (storedCrc != checksum(header)) {
            throw new CorruptJournalException(file, CRC_OFFSET, "segment header checksum mismatch");
        }
        short version = header.getShort(4);
        if (version != VERSION) {
            throw new CorruptJournalException(file, 4, "unsupported segment format version " + version);
        }
        if (header.getShort(6) != SIZE) {
            throw new CorruptJournalException(file, 6, "unexpected segment header size " + header.getShort(6));
        }
        SegmentHeader parsed = new SegmentHeader(header.getLong(8), header.getLong(16), header.getInt(24));
        if (parsed.firstIndex < 1) {
            throw new CorruptJournalException(file, 16, "first index " + parsed.firstIndex + " is below 1");
        }
        if (parsed.segmentSize != fileSize) {
            throw new CorruptJournalException(
                    file, 24, "header says " + parsed.segmentSize + " bytes but the file has " + fileSize);
        }
        return parsed;
    }

    private static int checksum(ByteBuffer segment) {
        CRC32C crc = new CRC32C();
        crc.update(segment.duplicate().limit(CRC_OFFSET).position(0));
        return (int) crc.getValue();
    }
}
