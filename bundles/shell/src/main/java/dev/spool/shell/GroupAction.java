package dev.spool.shell;

import dev.spool.api.group.GroupRole;
import dev.spool.api.group.RaftGroup;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

/**
 * The base of the commands about one group: the group's name as first argument (completed from this member's
 * groups), its lookup, the check that this member leads, and the wait for the group's answer. A failure is an
 * exception with one line naming what was wrong, which the shell prints; the session's exit status says it failed.
 *
 * <p>Threads: the shell creates an action per call and runs it on the session's thread.
 */
public abstract class GroupAction implements Action {

    /** How long a command waits for the group's answer. */
    static final long WAIT_SECONDS = 10;

    /** This member's groups, injected by the shell at each call. */
    @Reference
    List<RaftGroup<?>> groups;

    /** Where the command prints: the calling session's output, which the shell routes {@code System.out} to. */
    PrintStream out = System.out;

    @Argument(index = 0, name = "group", description = "the group's name", required = true)
    @Completion(GroupNameCompleter.class)
    String group;

    /**
     * Finds the group the command names.
     *
     * @return the group
     * @throws IllegalArgumentException naming the group and listing those this member has, if it has none so named
     */
    RaftGroup<?> group() {
        return find(groups, group);
    }

    static RaftGroup<?> find(List<RaftGroup<?>> groups, String name) {
        for (RaftGroup<?> candidate : groups) {
            if (candidate.name().equals(name)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("no group '" + name + "' on this member; its groups: "
                + (groups.isEmpty()
                        ? "none"
                        : groups.stream().map(RaftGroup::name).sorted().collect(Collectors.joining(", "))));
    }

    /**
     * Refuses to go on unless this member leads the group, naming the member that does.
     *
     * @param raft the group
     * @param what what the command would do, e.g. "add a member"
     * @throws IllegalStateException if this member does not lead
     */
    static void requireLeader(RaftGroup<?> raft, String what) {
        if (raft.role() == GroupRole.LEADER) {
            return;
        }
        throw new IllegalStateException("group " + raft.name() + ": only the leader can " + what + "; "
                + raft.memberId() + " is " + raft.role() + ", "
                + raft.leaderId()
                        .map(leader -> leader + " leads: run the command there")
                        .orElse("no leader is known (an election runs): try again shortly"));
    }

    /**
     * Waits for the group's answer.
     *
     * @param request what was asked, named in a failure
     * @param answer the group's answer
     * @return the answer's value
     * @throws IllegalStateException naming the request and the group's reason, if it failed or did not answer in
     *     time
     */
    static <T> T await(String request, CompletionStage<T> answer) {
        try {
            return answer.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(request + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    request + ": no answer within " + WAIT_SECONDS + " seconds; it may still take effect", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(request + ": interrupted while waiting for the answer", e);
        }
    }
}
