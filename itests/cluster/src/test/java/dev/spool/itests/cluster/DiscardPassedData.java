package dev.spool.itests.cluster;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * Deletes what a passed test's members stored (journals, snapshots, key stores) once the test returns, keeping its
 * logs; a failed or aborted test keeps everything for inspection. Without it the suite's members leave gigabytes
 * behind (each member preallocates segments), and a build machine's disk filled part-way through the suite, so that
 * every later member refused to start ("storage exhausted").
 *
 * <p>Each test method, each invocation of a parameterized one and each dynamic test counts as one test. Its
 * directories are those {@link ClusterTestSupport#workDirectory} handed out while it ran; the tests of this module run
 * one at a time.
 */
final class DiscardPassedData implements InvocationInterceptor {

    /** What a work directory keeps after a passed test. */
    static final String LOGS = "logs";

    private static final List<Path> HANDED_OUT = new ArrayList<>();

    /**
     * Records a work directory handed out to the running test.
     *
     * @param directory the directory
     */
    static synchronized void handedOut(Path directory) {
        HANDED_OUT.add(directory);
    }

    @Override
    public void interceptTestMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> method, ExtensionContext context)
            throws Throwable {
        discardIfPassed(invocation);
    }

    @Override
    public void interceptTestTemplateMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> method, ExtensionContext context)
            throws Throwable {
        discardIfPassed(invocation);
    }

    @Override
    public void interceptDynamicTest(
            Invocation<Void> invocation, DynamicTestInvocationContext dynamic, ExtensionContext context)
            throws Throwable {
        discardIfPassed(invocation);
    }

    private static void discardIfPassed(Invocation<Void> test) throws Throwable {
        taken();
        try {
            test.proceed();
        } catch (Throwable failed) {
            taken();
            throw failed;
        }
        for (Path directory : taken()) {
            discardAllButLogs(directory);
        }
    }

    /** @return the directories handed out since the last call, no longer recorded */
    private static synchronized List<Path> taken() {
        final List<Path> directories = new ArrayList<>(HANDED_OUT);
        HANDED_OUT.clear();
        return directories;
    }

    /**
     * Deletes everything under a work directory but its {@value #LOGS} directory.
     *
     * @param directory the work directory
     * @throws IOException if a file cannot be deleted
     */
    static void discardAllButLogs(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        final Path logs = directory.resolve(LOGS);
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                if (!path.equals(directory) && !path.startsWith(logs)) {
                    Files.delete(path);
                }
            }
        }
    }
}
