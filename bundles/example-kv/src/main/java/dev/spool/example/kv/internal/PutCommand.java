package dev.spool.example.kv.internal;

import java.util.Optional;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code kv:put <key> <value>}: maps the key once the write is committed and applied. */
@Command(
        scope = "kv",
        name = "put",
        description = "Maps a key to a value in the replicated store, once committed" + " and applied.")
@Service
public final class PutCommand extends KvAction {

    @Argument(index = 1, name = "value", description = "the value", required = true)
    String value;

    @Override
    public Object execute() {
        final Optional<String> previous = await("put " + key, store.put(key, value));
        out.println(
                key + " = " + value + previous.map(old -> " (was " + old + ")").orElse(" (new)"));
        return null;
    }
}
