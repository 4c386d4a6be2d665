package dev.spool.raft.group;

import dev.spool.api.codec.EntrySink;
import dev.spool.api.codec.EntrySource;
import dev.spool.api.codec.PayloadCodec;
import java.io.IOException;

/**
 * Like {@link BytesCodec}, but decoding reuses one array per thread and size: for allocation measurements, where
 * what the application's codec allocates is not the Raft threads' doing. Only for state machines that do not keep
 * the payload ({@link ChecksumMachine}).
 */
final class ReusingBytesCodec implements PayloadCodec<byte[]> {

    private final ThreadLocal<byte[]> decoded = ThreadLocal.withInitial(() -> new byte[0]);

    @Override
    public void encode(byte[] payload, EntrySink sink) throws IOException {
        sink.write(payload);
    }

    @Override
    public byte[] decode(EntrySource source) throws IOException {
        byte[] payload = decoded.get();
        if (payload.length != source.remaining()) {
            payload = new byte[source.remaining()];
            decoded.set(payload);
        }
        source.readFully(payload);
        return payload;
    }

    @Override
    public int encodedSize(byte[] payload) {
        return payload.length;
    }
}
