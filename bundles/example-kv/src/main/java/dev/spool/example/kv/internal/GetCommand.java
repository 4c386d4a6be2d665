package dev.spool.example.kv.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code kv:get <key>}: reads the key linearizably, through the leader. */
@Command(scope = "kv", name = "get", description = "Reads a key linearizably (through the leader's read index).")
@Service
public final class GetCommand extends KvAction {

    @Override
    public Object execute() {
        print(await("get " + key, store.get(key)));
        return null;
    }
}
