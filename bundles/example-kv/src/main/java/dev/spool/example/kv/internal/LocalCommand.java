package dev.spool.example.kv.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code kv:local <key>}: reads the key from this member's replica, without a read barrier: it shows what this
 * member has applied, which may lag the leader.
 */
@Command(
        scope = "kv",
        name = "local",
        description =
                "Reads a key from this member's replica as applied so far (no" + " read barrier; may lag the leader).")
@Service
public final class LocalCommand extends KvAction {

    @Override
    public Object execute() {
        print(replica.read(key));
        return null;
    }
}
