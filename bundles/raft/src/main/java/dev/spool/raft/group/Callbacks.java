package dev.spool.raft.group;

import dev.spool.api.group.GroupRole;
import dev.spool.api.group.ProposalCallback;
import dev.spool.api.group.RaftGroupException;
import dev.spool.api.group.ReadCallback;
import dev.spool.api.group.RoleListener;
import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one way group threads call the application: its proposal and read callbacks and its role listeners. A callback
 * that throws is the application's defect, not the group's: it is logged and the group goes on; it never becomes the
 * failure of the agent that called it, which would take the group down for everyone. The costs are on the throwing
 * path only: a callback that returns costs a call.
 *
 * <p>Logging is bounded: for each group, the 1st, 2nd, 4th, 8th… throw is logged (with the count), so a callback
 * that throws on every entry cannot flood the log.
 *
 * <p>Calls made on the application's own thread (a proposal refused at once) do not come through here: what its
 * callback throws reaches its caller.
 */
final class Callbacks {

    private static final System.Logger LOG = System.getLogger(Callbacks.class.getName());
    private static final ConcurrentHashMap<String, AtomicLong> THROWN = new ConcurrentHashMap<>();

    private Callbacks() {}

    static void applied(String group, ProposalCallback callback, long index, Object result) {
        try {
            callback.applied(index, result);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            thrown(group, callback, "applied(" + index + ")", e);
        }
    }

    static void failed(String group, ProposalCallback callback, RaftGroupException error) {
        try {
            callback.failed(error);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            thrown(group, callback, "failed(" + error.getClass().getSimpleName() + ")", e);
        }
    }

    static void readable(String group, ReadCallback callback, long readIndex) {
        try {
            callback.readable(readIndex);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            thrown(group, callback, "readable(" + readIndex + ")", e);
        }
    }

    static void failed(String group, ReadCallback callback, RaftGroupException error) {
        try {
            callback.failed(error);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            thrown(group, callback, "failed(" + error.getClass().getSimpleName() + ")", e);
        }
    }

    static void roleChanged(String group, RoleListener listener, GroupRole role, long term, String leader) {
        try {
            listener.roleChanged(group, role, term, leader);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            thrown(group, listener, "roleChanged(" + role + ")", e);
        }
    }

    private static void thrown(String group, Object callback, String call, Throwable e) {
        final long count = THROWN.computeIfAbsent(group, g -> new AtomicLong()).incrementAndGet();
        if (Long.bitCount(count) == 1) {
            LOG.log(
                    Level.WARNING,
                    "group " + group + ": the application's "
                            + callback.getClass().getName() + "."
                            + call + " threw (" + count + (count == 1 ? " time" : " times")
                            + " in this group; the 1st, 2nd, 4th,"
                            + " 8th… are logged); the group goes on",
                    e);
        }
    }
}
