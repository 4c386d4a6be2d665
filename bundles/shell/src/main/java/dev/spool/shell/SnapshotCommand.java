package dev.spool.shell;

import dev.spool.api.group.RaftGroup;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code spool:snapshot <group>}: has this member snapshot its replica of the group now, at the index it applied,
 * and compact its journal behind it as after any snapshot. Any member, leader or not.
 */
@Command(
        scope = "spool",
        name = "snapshot",
        description = "Takes a snapshot of a Raft group on this member now," + " and compacts its journal behind it.")
@Service
public final class SnapshotCommand extends GroupAction {

    @Override
    public Object execute() {
        final RaftGroup<?> raft = group();
        final long index = await("group " + raft.name() + ": snapshot", raft.snapshot());
        out.println("group " + raft.name() + ": snapshot at index " + index);
        return null;
    }
}
