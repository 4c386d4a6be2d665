package dev.spool.raft.group;

import dev.spool.api.codec.EntrySink;
import dev.spool.api.codec.EntrySource;
import dev.spool.api.codec.PayloadCodec;
import java.io.IOException;

/** Payloads that are byte arrays, written as they are: encoding allocates nothing, decoding one array. */
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
