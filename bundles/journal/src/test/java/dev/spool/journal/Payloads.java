package dev.spool.journal;

import dev.spool.api.codec.EntrySink;
import dev.spool.api.codec.EntrySource;
import dev.spool.api.codec.PayloadCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Test payloads: byte arrays with a codec that does, or does not, tell their size up front. */
final class Payloads {
    /** Streams byte arrays and tells their size, so the journal rolls before writing. */
    static final PayloadCodec<byte[]> SIZED = new BytesCodec(true);
    /** Streams byte arrays without telling their size, so an overflowing entry is moved to the next segment. */
    static final PayloadCodec<byte[]> UNSIZED = new BytesCodec(false);

    private Payloads() {}

    /** A payload of {@code length} bytes derived from {@code seed}, so every entry is recognisable. */
    static byte[] payload(long seed, int length) {
        byte[] bytes = new byte[length];
        long state = seed * 0x9E3779B97F4A7C15L + 1;
        for (int i = 0; i < length; i++) {
            state ^= state << 13;
            state ^= state >>> 7;
            state ^= state << 17;
            bytes[i] = (byte) state;
        }
        return bytes;
    }

    static byte[] text(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }

    private record BytesCodec(boolean sized) implements PayloadCodec<byte[]> {
        @Override
        public void encode(byte[] payload, EntrySink sink) throws IOException {
            // Written in pieces, as a real codec would, so entries cross segment ends part way.
            int half = payload.length / 2;
            sink.write(payload, 0, half);
            sink.write(payload, half, payload.length - half);
        }

        @Override
        public byte[] decode(EntrySource source) throws IOException {
            byte[] bytes = new byte[source.remaining()];
            source.readFully(bytes);
            return bytes;
        }

        @Override
        public int encodedSize(byte[] payload) {
            return sized ? payload.length : -1;
        }

        @Override
        public String toString() {
            return sized ? "sized" : "unsized";
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof BytesCodec codec && codec.sized == sized;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(new boolean[] {sized});
        }
    }
}
