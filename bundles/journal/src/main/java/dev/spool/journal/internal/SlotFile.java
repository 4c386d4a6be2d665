package dev.spool.journal.internal;

import dev.spool.api.spi.journal.CorruptJournalException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * A small value kept in two checksummed slots of one file, written alternately and forced every time, so that a
 * torn write leaves the previous value readable. Each slot ({@value #SLOT_SIZE} bytes, big-endian):
 *
 * <pre>
 * offset  size  field
 *      0     4  magic     0x53505354 ("SPST")
 *      4     8  sequence  raised by every write; the valid slot with the highest one is current
 *     12     4  length    payload length
 *     16     n  payload
 *    508     4  crc       CRC32C of bytes [0, 508)
 * </pre>
 *
 * Not thread-safe: its owner serialises access.
 */
final class SlotFile {
    static final int SLOT_SIZE = 512;
    static final int MAX_PAYLOAD = SLOT_SIZE - 20;
    private static final int MAGIC = 0x53505354;
    private static final int CRC_OFFSET = SLOT_SIZE - 4;

    private final FileChannel channel;
    private final Path file;
    private final ByteBuffer slot = ByteBuffer.allocate(SLOT_SIZE);
    private long sequence;

    SlotFile(FileChannel channel, Path file) {
        this.channel = channel;
        this.file = file;
    }

    /**
     * Reads the current value.
     *
     * @return a buffer holding exactly the payload, or {@code null} if nothing was ever written
     * @throws CorruptJournalException if the file holds data but no valid slot
     */
    ByteBuffer read() throws IOException {
        ByteBuffer best = null;
        boolean anyData = false;
        for (int index = 0; index < 2; index++) {
            ByteBuffer candidate = ByteBuffer.allocate(SLOT_SIZE);
            while (candidate.hasRemaining()
                    && channel.read(candidate, (long) index * SLOT_SIZE + candidate.position()) > 0) {
                // keep reading until the slot is full or the file ends
            }
            candidate.flip();
            if (candidate.limit() == 0) {
                continue;
            }
            anyData |= !isZero(candidate);
            if (isValid(candidate)) {
                long candidateSequence = candidate.getLong(4);
                if (best == null || candidateSequence > best.getLong(4)) {
                    best = candidate;
                }
            }
        }
        if (best == null) {
            if (anyData) {
                throw new CorruptJournalException(file, 0, "neither slot holds a valid checksummed value");
            }
            return null;
        }
        sequence = best.getLong(4);
        return best.limit(16 + best.getInt(12)).position(16).slice();
    }

    /**
     * Writes {@code payload} (position to limit) into the slot not holding the current value, and forces it.
     *
     * @param payload at most {@link #MAX_PAYLOAD} bytes
     */
    void write(ByteBuffer payload) throws IOException {
        long next = sequence + 1;
        slot.clear();
        slot.putInt(MAGIC).putLong(next).putInt(payload.remaining()).put(payload);
        while (slot.position() < CRC_OFFSET) {
            slot.put((byte) 0);
        }
        CRC32C crc = new CRC32C();
        crc.update(slot.array(), 0, CRC_OFFSET);
        slot.putInt((int) crc.getValue()).flip();
        long position = (next & 1) * SLOT_SIZE;
        while (slot.hasRemaining()) {
            position += channel.write(slot, position);
        }
        channel.force(false);
        sequence = next;
    }

    /** Appends {@code value} to a payload as a 2-byte length and UTF-8 bytes; {@code null} is length -1. */
    static void putString(ByteBuffer payload, String value) {
        if (value == null) {
            payload.putShort((short) -1);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        payload.putShort((short) bytes.length).put(bytes);
    }

    /** Reads a string written by {@link #putString}. */
    static String getString(ByteBuffer payload) {
        short length = payload.getShort();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        payload.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Returns how many bytes {@link #putString} takes for {@code value}. */
    static int encodedLength(String value) {
        return Short.BYTES + (value == null ? 0 : value.getBytes(StandardCharsets.UTF_8).length);
    }

    private static boolean isValid(ByteBuffer candidate) {
        if (candidate.limit() < SLOT_SIZE || candidate.getInt(0) != MAGIC) {
            return false;
        }
        int length = candidate.getInt(12);
        if (length < 0 || length > MAX_PAYLOAD) {
            return false;
        }
        CRC32C crc = new CRC32C();
        crc.update(candidate.array(), 0, CRC_OFFSET);
        return (int) crc.getValue() == candidate.getInt(CRC_OFFSET);
    }

    private static boolean isZero(ByteBuffer candidate) {
        for (int i = 0; i < candidate.limit(); i++) {
            if (candidate.get(i) != 0) {
                return false;
            }
        }
        return true;
    }
}
