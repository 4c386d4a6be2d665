package dev.spool.raft.internal.osgi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * Tells, from what Declarative Services reports about its components, why a service is missing or a component is
 * not active, in one line: the first line of an activation failure's root cause (a wrong configuration value names
 * itself there), the references a component waits for, or the configuration it waits for.
 *
 * <p>Threads: any; each answer asks the runtime afresh.
 */
final class ComponentDiagnosis {

    private final ServiceComponentRuntime runtime;

    /** @param runtime Declarative Services' runtime, or {@code null} if it is not known */
    ComponentDiagnosis(ServiceComponentRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * Tells why no service of a type is available.
     *
     * @param serviceType the service's interface name
     * @return the cause, one line
     */
    String whyMissing(String serviceType) {
        if (runtime == null) {
            return "Declarative Services' runtime is not available to say why";
        }
        final List<String> causes = new ArrayList<>();
        for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs()) {
            if (!Arrays.asList(description.serviceInterfaces).contains(serviceType)) {
                continue;
            }
            if (!runtime.isComponentEnabled(description)) {
                causes.add("component " + description.name + " is disabled");
                continue;
            }
            final var configurations = runtime.getComponentConfigurationDTOs(description);
            if (configurations.isEmpty()) {
                causes.add("component " + description.name + " waits for its configuration "
                        + String.join(", ", description.configurationPid));
            }
            for (ComponentConfigurationDTO configuration : configurations) {
                final String cause = whyInactive(configuration);
                if (cause != null) {
                    causes.add(cause);
                }
            }
        }
        if (causes.isEmpty()) {
            return "no active component provides it; is the bundle that provides it installed and started?";
        }
        return String.join("; ", causes);
    }

    /**
     * Returns the configurations of a component: of {@link RaftGroupComponent}, one per configured group.
     *
     * @param componentName the component's name
     * @return its configurations; empty if the runtime is not known
     */
    List<ComponentConfigurationDTO> configurations(String componentName) {
        if (runtime == null) {
            return List.of();
        }
        final List<ComponentConfigurationDTO> all = new ArrayList<>();
        for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs()) {
            if (description.name.equals(componentName)) {
                all.addAll(runtime.getComponentConfigurationDTOs(description));
            }
        }
        return all;
    }

    /**
     * Tells why a component configuration is not active.
     *
     * @param configuration the configuration
     * @return the cause, one line; {@code null} if it is active (or satisfied, about to be)
     */
    static String whyInactive(ComponentConfigurationDTO configuration) {
        return switch (configuration.state) {
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> rootCause(configuration.failure);
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> "waits for " + unsatisfied(configuration);
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> "waits for its configuration";
            default -> null;
        };
    }

    private static String unsatisfied(ComponentConfigurationDTO configuration) {
        final List<String> references = new ArrayList<>();
        for (UnsatisfiedReferenceDTO reference : configuration.unsatisfiedReferences) {
            references.add(reference.name + (reference.target == null ? "" : " " + reference.target));
        }
        return String.join(", ", references);
    }

    /**
     * The message of the innermost cause in a printed stack trace (what Declarative Services keeps of an
     * activation failure), without its exception's class name.
     */
    static String rootCause(String stackTrace) {
        if (stackTrace == null || stackTrace.isBlank()) {
            return "its activation failed";
        }
        String line = stackTrace.lines().findFirst().orElse("").strip();
        for (String next : (Iterable<String>) stackTrace.lines()::iterator) {
            if (next.startsWith("Caused by: ")) {
                line = next.substring("Caused by: ".length()).strip();
            }
        }
        final int colon = line.indexOf(": ");
        if (colon > 0 && line.substring(0, colon).matches("[\\w.$]+")) {
            line = line.substring(colon + 2);
        }
        return line;
    }
}
