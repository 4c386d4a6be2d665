package dev.spool.raft.internal.console;

import dev.spool.api.group.RaftGroup;
import dev.spool.api.health.Health;
import dev.spool.api.health.HealthIndicator;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * {@code spool:health [group]}: whether this member serves, and each group, naming the cause when not. The answer
 * is asked of the {@link HealthIndicator} services at the time of the call. The command fails (its exit status says
 * so in {@code bin/client}) when what it reports is not healthy, so scripts can test it.
 *
 * <p>Threads: the shell creates an action per call and runs it on the session's thread.
 */
@Command(
        scope = "spool",
        name = "health",
        description = "Tells whether this member serves its Raft groups," + " naming the cause when it does not")
@Service
public final class HealthAction implements Action {

    @Reference
    BundleContext context;

    @Argument(
            index = 0,
            name = "group",
            required = false,
            description = "only this group; without it the member and every group")
    String group;

    /** Where the command prints: the calling session's output, which the shell routes {@code System.out} to. */
    PrintStream out = System.out;

    @Override
    public Object execute() throws InvalidSyntaxException {
        Health member = null;
        final Map<String, Health> groups = new HashMap<>();
        for (ServiceReference<HealthIndicator> reference : context.getServiceReferences(HealthIndicator.class, null)) {
            final HealthIndicator indicator = context.getService(reference);
            if (indicator == null) {
                continue;
            }
            try {
                final Object name = reference.getProperty(RaftGroup.GROUP_PROPERTY);
                if (name != null && (group == null || group.equals(name))) {
                    groups.put(name.toString(), indicator.health());
                } else if (name == null
                        && group == null
                        && HealthIndicator.MEMBER_SUBJECT.equals(
                                reference.getProperty(HealthIndicator.SUBJECT_PROPERTY))) {
                    member = indicator.health();
                }
            } finally {
                context.ungetService(reference);
            }
        }
        if (group != null && groups.isEmpty()) {
            throw new IllegalArgumentException("no group " + group + " runs on this member");
        }
        out.println(HealthReport.format(member, groups));
        final boolean healthy =
                (member == null || member.healthy()) && groups.values().stream().allMatch(Health::healthy);
        if (!healthy) {
            throw new IllegalStateException(
                    group == null ? "this member does not serve every group" : "group " + group + " is not served");
        }
        return null;
    }
}
