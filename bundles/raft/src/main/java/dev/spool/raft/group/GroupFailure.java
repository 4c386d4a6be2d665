package dev.spool.raft.group;

import java.lang.System.Logger.Level;

/**
 * The first failure of a running group's storage, shared by its agents: once set, every agent stops working and the
 * group reports itself unavailable until its storage is bound again. Any thread.
 */
final class GroupFailure {

    private static final System.Logger LOG = System.getLogger(GroupFailure.class.getName());

    private volatile Throwable cause;
    private final Runnable onFailure;

    GroupFailure(Runnable onFailure) {
        this.onFailure = onFailure;
    }

    /** @return whether the group failed */
    boolean failed() {
        return cause != null;
    }

    /** @return the first failure, or {@code null} */
    Throwable cause() {
        return cause;
    }

    /** Records a failure (the first one wins) and logs it. */
    void fail(String what, Throwable error) {
        synchronized (this) {
            if (cause != null) {
                return;
            }
            cause = error;
        }
        LOG.log(Level.ERROR, what + "; the group is unavailable until its storage is bound again", error);
        onFailure.run();
    }
}
