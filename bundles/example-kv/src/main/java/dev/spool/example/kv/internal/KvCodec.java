package dev.spool.example.kv.internal;

import dev.spool.api.codec.EntrySink;
import dev.spool.api.codec.EntrySource;
import dev.spool.api.codec.PayloadCodec;
import java.io.IOException;
import java.io.InvalidObjectException;
import org.osgi.service.component.annotations.Component;

/**
 * Encodes a {@link KvCommand} straight into the journal: a flag byte (1 for a put, 0 for a removal), the key, and
 * for a put the value, each as modified UTF-8 ({@code writeUTF}, so at most 65,535 bytes each). Stateless.
 */
@Component(service = PayloadCodec.class, property = "spool.group=default")
public final class KvCodec implements PayloadCodec<KvCommand> {

    @Override
    public void encode(KvCommand command, EntrySink sink) throws IOException {
        sink.writeBoolean(command.value() != null);
        sink.writeUTF(command.key());
        if (command.value() != null) {
            sink.writeUTF(command.value());
        }
    }

    @Override
    public KvCommand decode(EntrySource source) throws IOException {
        final boolean put = source.readBoolean();
        final String key = source.readUTF();
        final String value = put ? source.readUTF() : null;
        if (source.remaining() != 0) {
            throw new InvalidObjectException(
                    "key-value command for key '" + key + "' has " + source.remaining() + " trailing bytes");
        }
        return new KvCommand(key, value);
    }
}
