package dev.spool.snapshot;

import dev.spool.api.cluster.Membership;
import dev.spool.api.spi.snapshot.CorruptSnapshotException;
import dev.spool.api.spi.snapshot.SnapshotCompression;
import dev.spool.api.spi.snapshot.SnapshotMetadata;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The header at the start of every snapshot file, and its checks. The layout (big-endian) is documented in
 * {@code docs/snapshot-format.md}; the offsets below are the ones it lists.
 *
 * @param metadata what the snapshot stands for
 * @param compression how the body is encoded
 * @param blockSize the most content bytes in one compressed block; 0 for an uncompressed body
 * @param bodyLength the stored body's length in bytes
 * @param contentLength the number of bytes the state machine wrote
 * @param bodyChecksum the CRC32C of the stored body
 */
record SnapshotHeader(
        SnapshotMetadata metadata,
        SnapshotCompression compression,
        int blockSize,
        long bodyLength,
        long contentLength,
        int bodyChecksum) {

    static final byte[] MAGIC = "SPOOLSNP".getBytes(StandardCharsets.US_ASCII);
    static final int FILE_FORMAT_VERSION = 1;
    static final int FIXED_LENGTH = 64;
    static final int CHECKSUM_LENGTH = Integer.BYTES;
    /** Bounds the membership a reader accepts, so a hostile header cannot make it allocate without limit. */
    static final int MAX_MEMBERSHIP_LENGTH = 4 << 20;
    /** Bounds the block size a reader accepts, for the same reason. */
    static final int MAX_BLOCK_SIZE = 4 << 20;

    static final int OFFSET_VERSION = 8;
    static final int OFFSET_COMPRESSION = 10;
    static final int OFFSET_RESERVED = 11;
    static final int OFFSET_HEADER_LENGTH = 12;
    static final int OFFSET_LAST_INDEX = 16;
    static final int OFFSET_LAST_TERM = 24;
    static final int OFFSET_FORMAT_VERSION = 32;
    static final int OFFSET_BLOCK_SIZE = 36;
    static final int OFFSET_BODY_LENGTH = 40;
    static final int OFFSET_CONTENT_LENGTH = 48;
    static final int OFFSET_BODY_CHECKSUM = 56;
    static final int OFFSET_MEMBERSHIP_LENGTH = 60;

    private static final int CODE_NONE = 0;
    private static final int CODE_LZ4 = 1;

    /**
     * Returns the header of a snapshot whose body is not written yet: its length is already final, which lets the
     * writer start the body right after it.
     */
    static SnapshotHeader provisional(SnapshotMetadata metadata, SnapshotCompression compression, int blockSize) {
        return new SnapshotHeader(metadata, compression, blockSize, 0, 0, 0);
    }

    SnapshotHeader completed(long newBodyLength, long newContentLength, int newBodyChecksum) {
        return new SnapshotHeader(metadata, compression, blockSize, newBodyLength, newContentLength, newBodyChecksum);
    }

    /** Returns the encoded header: position 0, limit its length. */
    ByteBuffer encode() {
        final byte[] membership = encodeMembership(metadata.membership());
        final int length = FIXED_LENGTH + membership.length + CHECKSUM_LENGTH;
        final ByteBuffer buffer = ByteBuffer.allocate(length);
        buffer.put(MAGIC)
                .putShort((short) FILE_FORMAT_VERSION)
                .put((byte) (compression == SnapshotCompression.LZ4 ? CODE_LZ4 : CODE_NONE))
                .put((byte) 0)
                .putInt(length)
                .putLong(metadata.lastIndex())
                .putLong(metadata.lastTerm())
                .putInt(metadata.formatVersion())
                .putInt(blockSize)
                .putLong(bodyLength)
                .putLong(contentLength)
                .putInt(bodyChecksum)
                .putInt(membership.length)
                .put(membership);
        final CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 0, buffer.position());
        buffer.putInt((int) crc.getValue());
        return buffer.flip();
    }

    /** Returns the number of bytes {@link #encode()} produces. */
    int length() {
        return encode().remaining();
    }

    /**
     * Reads and checks the header at the start of {@code channel}.
     *
     * @throws CorruptSnapshotException naming {@code file} and the offset of the first failed check
     */
    static SnapshotHeader read(FileChannel channel, Path file) throws IOException {
        final ByteBuffer fixed = ByteBuffer.allocate(FIXED_LENGTH);
        readFully(channel, fixed, 0, file, "header");
        if (!Arrays.equals(fixed.array(), 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new CorruptSnapshotException(file, 0, "not a snapshot file: bad magic number");
        }
        final int version = Short.toUnsignedInt(fixed.getShort(OFFSET_VERSION));
        if (version != FILE_FORMAT_VERSION) {
            throw new CorruptSnapshotException(file, OFFSET_VERSION, "unsupported file format version " + version);
        }
        final int length = fixed.getInt(OFFSET_HEADER_LENGTH);
        final int membershipLength = fixed.getInt(OFFSET_MEMBERSHIP_LENGTH);
        if (membershipLength < 0
                || membershipLength > MAX_MEMBERSHIP_LENGTH
                || length != FIXED_LENGTH + membershipLength + CHECKSUM_LENGTH) {
            throw new CorruptSnapshotException(
                    file,
                    OFFSET_HEADER_LENGTH,
                    "header length " + length + " does not match a membership of " + membershipLength + " bytes");
        }
        final ByteBuffer whole = ByteBuffer.allocate(length);
        whole.put(fixed.array());
        readFully(channel, whole, FIXED_LENGTH, file, "header");
        final CRC32C crc = new CRC32C();
        crc.update(whole.array(), 0, length - CHECKSUM_LENGTH);
        final int stored = whole.getInt(length - CHECKSUM_LENGTH);
        if (stored != (int) crc.getValue()) {
            throw new CorruptSnapshotException(
                    file,
                    length - CHECKSUM_LENGTH,
                    String.format(
                            "header checksum mismatch: stored %08x, computed %08x", stored, (int) crc.getValue()));
        }
        return decodeChecked(whole, file);
    }

    /** Interprets a header whose checksum holds; every field is still checked, a checksum proves no intent. */
    private static SnapshotHeader decodeChecked(ByteBuffer header, Path file) throws CorruptSnapshotException {
        final SnapshotCompression compression = switch (header.get(OFFSET_COMPRESSION)) {
            case CODE_NONE -> SnapshotCompression.NONE;
            case CODE_LZ4 -> SnapshotCompression.LZ4;
            default ->
                throw new CorruptSnapshotException(
                        file, OFFSET_COMPRESSION, "unknown compression code " + header.get(OFFSET_COMPRESSION));
        };
        if (header.get(OFFSET_RESERVED) != 0) {
            throw new CorruptSnapshotException(file, OFFSET_RESERVED, "reserved byte is not 0");
        }
        final int blockSize = header.getInt(OFFSET_BLOCK_SIZE);
        final boolean blockSizeValid =
                compression == SnapshotCompression.NONE ? blockSize == 0 : blockSize > 0 && blockSize <= MAX_BLOCK_SIZE;
        if (!blockSizeValid) {
            throw new CorruptSnapshotException(
                    file,
                    OFFSET_BLOCK_SIZE,
                    "block size " + blockSize + " is not valid for compression " + compression);
        }
        final long bodyLength = header.getLong(OFFSET_BODY_LENGTH);
        final long contentLength = header.getLong(OFFSET_CONTENT_LENGTH);
        if (bodyLength < 0
                || contentLength < 0
                || compression == SnapshotCompression.NONE && bodyLength != contentLength) {
            throw new CorruptSnapshotException(
                    file,
                    OFFSET_BODY_LENGTH,
                    "body length " + bodyLength + " and content length " + contentLength
                            + " are not valid for compression " + compression);
        }
        final int membershipLength = header.getInt(OFFSET_MEMBERSHIP_LENGTH);
        final Membership membership;
        try {
            membership = Membership.readFrom(
                    new DataInputStream(new ByteArrayInputStream(header.array(), FIXED_LENGTH, membershipLength)));
        } catch (EOFException e) {
            throw new CorruptSnapshotException(file, FIXED_LENGTH, "membership ends early");
        } catch (IOException e) {
            throw new CorruptSnapshotException(file, FIXED_LENGTH, e.getMessage());
        }
        final SnapshotMetadata metadata;
        try {
            metadata = new SnapshotMetadata(
                    header.getLong(OFFSET_LAST_INDEX),
                    header.getLong(OFFSET_LAST_TERM),
                    membership,
                    header.getInt(OFFSET_FORMAT_VERSION));
        } catch (IllegalArgumentException e) {
            throw new CorruptSnapshotException(file, OFFSET_LAST_INDEX, e.getMessage());
        }
        return new SnapshotHeader(
                metadata, compression, blockSize, bodyLength, contentLength, header.getInt(OFFSET_BODY_CHECKSUM));
    }

    private static byte[] encodeMembership(Membership membership) {
        final var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            membership.writeTo(out);
        } catch (IOException e) {
            // A ByteArrayOutputStream does not fail.
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Fills {@code target} from {@code position}; a premature end of file is corruption of {@code what}. */
    static void readFully(FileChannel channel, ByteBuffer target, long position, Path file, String what)
            throws IOException {
        long at = position;
        while (target.hasRemaining()) {
            final int read = channel.read(target, at);
            if (read < 0) {
                throw new CorruptSnapshotException(file, at, "truncated " + what + ": the file ends at offset " + at);
            }
            at += read;
        }
    }
}
