package dev.spool.example.kv.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code kv:remove <key>}: removes the key once the removal is committed and applied. */
@Command(
        scope = "kv",
        name = "remove",
        description = "Removes a key from the replicated store, once committed and" + " applied.")
@Service
public final class RemoveCommand extends KvAction {

    @Override
    public Object execute() {
        out.println(await("remove " + key, store.remove(key))
                .map(old -> "removed " + key + " (was " + old + ")")
                .orElse(key + " was not set"));
        return null;
    }
}
