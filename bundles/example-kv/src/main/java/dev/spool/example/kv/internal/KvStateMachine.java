package dev.spool.example.kv.internal;

import dev.spool.api.group.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidObjectException;
import java.io.OutputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;

/**
 * The replicated map: applies {@link KvCommand}s in log order. Its map is concurrent so that readers on other
 * threads see applied writes; only the group's apply thread writes it. Each apply returns the previous value, as an
 * {@link Optional}.
 */
@Component(
        service = {StateMachine.class, KvStateMachine.class},
        property = "spool.group=default")
public final class KvStateMachine implements StateMachine<KvCommand> {

    private final Map<String, String> map = new ConcurrentHashMap<>();

    @Override
    public Object apply(long index, KvCommand command) {
        return Optional.ofNullable(
                command.value() == null ? map.remove(command.key()) : map.put(command.key(), command.value()));
    }

    @Override
    public void writeSnapshot(OutputStream out) throws IOException {
        final var data = new DataOutputStream(out);
        data.writeInt(map.size());
        for (Map.Entry<String, String> entry : map.entrySet()) {
            data.writeUTF(entry.getKey());
            data.writeUTF(entry.getValue());
        }
        data.flush();
    }

    @Override
    public void restore(InputStream in, int formatVersion) throws IOException {
        if (formatVersion != 0) {
            throw new InvalidObjectException("key-value snapshot format " + formatVersion + " is not known");
        }
        final var data = new DataInputStream(in);
        final int size = data.readInt();
        if (size < 0) {
            throw new InvalidObjectException("key-value snapshot declares " + size + " entries");
        }
        map.clear();
        for (int i = 0; i < size; i++) {
            map.put(data.readUTF(), data.readUTF());
        }
    }

    @Override
    public void reset() {
        map.clear();
    }

    /** @return the locally applied value of {@code key}, if any */
    Optional<String> read(String key) {
        return Optional.ofNullable(map.get(key));
    }

    /** @return the number of keys applied locally */
    int size() {
        return map.size();
    }
}
