package dev.spool.raft.internal.osgi;

import dev.spool.raft.pipeline.Agent;
import dev.spool.raft.pipeline.AgentHost;
import dev.spool.raft.pipeline.AgentRunner;
import dev.spool.raft.pipeline.WakeSignal;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The member's agent threads, shared by all its Raft groups: adding a group adds agents, never a thread. Three
 * threads, so that a group's core, log and apply agents can run in parallel; an idle thread parks for at most a
 * millisecond, which bounds how late a tick can come.
 *
 * <p>Published as a service of this bundle's own (unexported) type, used only by its group components.
 */
@Component(service = MemberThreads.class)
public final class MemberThreads implements AgentHost {

    private static final System.Logger LOG = System.getLogger(MemberThreads.class.getName());
    private static final int THREADS = 3;
    private static final long MAX_PARK_NANOS = 1_000_000;

    private final AgentRunner runner;

    /** Starts the threads; called by Declarative Services. */
    @Activate
    public MemberThreads() {
        runner = AgentRunner.start(
                "spool-raft",
                THREADS,
                MAX_PARK_NANOS,
                (agent, error) -> LOG.log(Level.ERROR, "Raft agent " + agent.roleName() + " failed", error));
    }

    @Override
    public WakeSignal add(Agent agent) {
        return runner.add(agent);
    }

    @Override
    public CompletableFuture<Void> remove(Agent agent) {
        return runner.remove(agent);
    }

    /** Stops the threads once every group has removed its agents; called by Declarative Services. */
    @Deactivate
    void deactivate() {
        runner.close();
    }
}
