package dev.spool.api.group;

/**
 * Learns when this member's role in a group changes, or its leader or term does.
 *
 * <p>Threads: the group's core thread. Return quickly; do not block and do not call back into the group with a
 * waiting deadline. What it throws on the core thread is logged and otherwise ignored.
 */
@FunctionalInterface
public interface RoleListener {

    /**
     * The member's role, term or known leader changed.
     *
     * @param group the group's name
     * @param role the new role
     * @param term the current term
     * @param leaderId the leader this member knows of, or {@code null}
     */
    void roleChanged(String group, GroupRole role, long term, String leaderId);
}
