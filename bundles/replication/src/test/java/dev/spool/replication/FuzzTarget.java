package dev.spool.replication;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The program {@link FuzzEveryTarget} runs in a JVM of its own for each fuzz target: it runs the one
 * {@code @FuzzTest} method it is given through JUnit, with {@code JAZZER_FUZZ} set (Jazzer fuzzes a single target
 * per JVM). It exits 0 if the target ran and found nothing, 1 on a finding or another failure, 2 if the method ran
 * no test, 3 if {@code JAZZER_FUZZ} is not set (the target would only replay its corpus).
 */
public final class FuzzTarget {

    private FuzzTarget() {}

    /**
     * Runs a target.
     *
     * @param args the class name and the method name of the target
     */
    public static void main(String[] args) throws Exception {
        if (System.getenv("JAZZER_FUZZ") == null || System.getenv("JAZZER_FUZZ").isEmpty()) {
            System.err.println("JAZZER_FUZZ is not set: " + String.join("#", args) + " would not be fuzzed");
            System.exit(3);
        }
        final Class<?> target = Class.forName(args[0]);
        final Method method = Arrays.stream(target.getDeclaredMethods())
                .filter(m -> m.getName().equals(args[1]))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(args[0] + " has no method " + args[1]));
        final SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create()
                .execute(
                        LauncherDiscoveryRequestBuilder.request()
                                .selectors(selectMethod(target, method))
                                .build(),
                        listener);
        final TestExecutionSummary summary = listener.getSummary();
        summary.printTo(new PrintWriter(System.out, true));
        summary.printFailuresTo(new PrintWriter(System.out, true), 50);
        System.exit(summary.getTotalFailureCount() > 0 ? 1 : summary.getTestsSucceededCount() == 0 ? 2 : 0);
    }
}
