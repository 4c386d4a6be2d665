package dev.spool.itests;

import dev.spool.api.codec.EntrySink;
import dev.spool.api.codec.EntrySource;
import dev.spool.api.codec.PayloadCodec;
import java.io.IOException;

/** A payload that names its own index, padded to a realistic size, so a misplaced entry is caught. */
enum IndexedPayloadCodec implements PayloadCodec<Long> {
    INSTANCE;

    private static final int PADDING = 120;

    @Override
    public void encode(Long payload, EntrySink sink) throws IOException {
        sink.writeLong(payload);
        for (int i = 0; i < PADDING; i++) {
            sink.writeByte((int) (payload + i));
        }
    }

    @Override
    public Long decode(EntrySource source) throws IOException {
        final long value = source.readLong();
        for (int i = 0; i < PADDING; i++) {
            if (source.readByte() != (byte) (value + i)) {
                throw new IOException("payload of entry " + value + " is damaged at byte " + i);
            }
        }
        return value;
    }
}
