package dev.spool.replication;

import dev.spool.api.codec.EntrySink;
import dev.spool.api.codec.EntrySource;
import dev.spool.api.codec.PayloadCodec;
import java.io.IOException;

/** Payloads as they are. */
final class BytesCodec implements PayloadCodec<byte[]> {

    @Override
    public void encode(byte[] payload, EntrySink sink) throws IOException {
        sink.write(payload);
    }

    @Override
    public byte[] decode(EntrySource source) throws IOException {
        final byte[] payload = new byte[source.remaining()];
        source.readFully(payload);
        return payload;
    }

    @Override
    public int encodedSize(byte[] payload) {
        return payload.length;
    }
}
