package dev.spool.snapshot;

import dev.spool.api.spi.snapshot.SnapshotCompression;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * How a snapshot body is encoded: content goes in as blocks of at most the size of a {@link #newBlockBuffer()} and
 * comes out the same. An instance keeps its own work buffers, so each writer and each stream has its own.
 */
interface BodyCodec {

    /** The content bytes in one LZ4 block the writer makes. */
    int BLOCK_SIZE = 128 << 10;

    /**
     * Returns a codec for writing with {@code compression}.
     *
     * @param compression the store's setting
     * @return a new codec
     */
    static BodyCodec forWriting(SnapshotCompression compression) {
        return compression == SnapshotCompression.LZ4 ? new Lz4Body(BLOCK_SIZE) : new PlainBody();
    }

    /**
     * Returns a codec for reading the body {@code header} describes.
     *
     * @param header the snapshot's header
     * @return a new codec
     */
    static BodyCodec forReading(SnapshotHeader header) {
        return header.compression() == SnapshotCompression.LZ4 ? new Lz4Body(header.blockSize()) : new PlainBody();
    }

    /**
     * Returns the block size the header records.
     *
     * @return the most content bytes in one stored block, or 0 if the body is not divided into blocks
     */
    int headerBlockSize();

    /**
     * Tells whether the stored body is the content itself, so a reader may read it straight into its own array.
     *
     * @return true for an uncompressed body
     */
    boolean storesContentAsIs();

    /**
     * Returns a new buffer for one block of content, of the kind this codec handles fastest: direct for a plain body
     * (file I/O and CRC32C then need no bounce copy), on the heap for LZ4 (the compressor works on arrays).
     *
     * @return an empty buffer: for LZ4 of {@link #BLOCK_SIZE} bytes when writing, of the header's block size when
     *     reading
     */
    ByteBuffer newBlockBuffer();

    /**
     * Encodes {@code content}, from position to limit, to {@code out}; the position advances to the limit.
     *
     * @param content content in a buffer from {@link #newBlockBuffer()}
     * @param out where the stored bytes go
     * @throws IOException if the file cannot be written
     */
    void encode(ByteBuffer content, BodyOutput out) throws IOException;

    /**
     * Decodes the next stored bytes into {@code content}: it is cleared, filled and flipped.
     *
     * @param in the stored body, with bytes remaining
     * @param content a buffer from {@link #newBlockBuffer()}
     * @throws dev.spool.api.spi.snapshot.CorruptSnapshotException if the stored bytes are not a valid encoding
     * @throws IOException if the file cannot be read
     */
    void decodeNext(BodyInput in, ByteBuffer content) throws IOException;
}
