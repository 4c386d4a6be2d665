package dev.spool.replication.wire;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The names one connection has already sent in a field, kept so that a frame naming a known one is answered with
 * the {@code String} decoded the first time instead of a new one: a group id arrives with every group frame, and
 * decoding it each time would allocate a string per message. A name is looked up by its UTF-8 bytes, which strict
 * decoding maps one-to-one to strings, so a match is exactly the name a fresh decoding would give.
 *
 * <p>Bounded: once {@link #CAPACITY} names are known, further new names are decoded every time and not kept, so a
 * peer cannot grow the table by sending many names.
 *
 * <p>Not thread-safe: one table per connection, used by its event loop.
 */
final class KnownNames {

    /** The most names kept; a member shares far fewer groups with one peer in practice. */
    static final int CAPACITY = 256;

    /** Open addressing at most half full, so a probe ends quickly at an empty slot. */
    private static final int SLOTS = 2 * CAPACITY;

    private final String[] names = new String[SLOTS];
    private final byte[][] encodings = new byte[SLOTS][];
    private final int[] hashes = new int[SLOTS];
    private int size;

    /**
     * Returns the known name whose UTF-8 encoding is a range of a buffer.
     *
     * @param buffer the buffer
     * @param index where the encoding starts
     * @param length its byte count
     * @return the name, or {@code null} if those bytes name no known name
     */
    String find(ByteBuf buffer, int index, int length) {
        final int hash = hash(buffer, index, length);
        for (int slot = hash & (SLOTS - 1); names[slot] != null; slot = (slot + 1) & (SLOTS - 1)) {
            if (hashes[slot] == hash && sameBytes(encodings[slot], buffer, index, length)) {
                return names[slot];
            }
        }
        return null;
    }

    /**
     * Keeps a name that was decoded and validated, unless the table is full or knows it already.
     *
     * @param name the name
     */
    void add(String name) {
        if (size == CAPACITY) {
            return;
        }
        final byte[] encoding = name.getBytes(StandardCharsets.UTF_8);
        final int hash = hash(encoding);
        int slot = hash & (SLOTS - 1);
        for (; names[slot] != null; slot = (slot + 1) & (SLOTS - 1)) {
            if (hashes[slot] == hash && names[slot].equals(name)) {
                return;
            }
        }
        names[slot] = name;
        encodings[slot] = encoding;
        hashes[slot] = hash;
        size++;
    }

    /**
     * Returns how many names are kept.
     *
     * @return the count, at most {@link #CAPACITY}
     */
    int size() {
        return size;
    }

    private static int hash(ByteBuf buffer, int index, int length) {
        int hash = 1;
        for (int i = 0; i < length; i++) {
            hash = 31 * hash + buffer.getByte(index + i);
        }
        return spread(hash);
    }

    private static int hash(byte[] bytes) {
        int hash = 1;
        for (byte b : bytes) {
            hash = 31 * hash + b;
        }
        return spread(hash);
    }

    /** Mixes the high bits into the low ones, which pick the slot. */
    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }

    private static boolean sameBytes(byte[] encoding, ByteBuf buffer, int index, int length) {
        if (encoding.length != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (encoding[i] != buffer.getByte(index + i)) {
                return false;
            }
        }
        return true;
    }
}
