package dev.spool.itests.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.InvocationInterceptor.Invocation;
import org.junit.jupiter.api.io.TempDir;

class DiscardPassedDataTest {

    @TempDir
    Path root;

    @Test
    void aPassedTestKeepsOnlyItsLogs() throws Throwable {
        final Path work = root.resolve("passed");
        new DiscardPassedData()
                .interceptDynamicTest(
                        () -> {
                            populate(work);
                            return null;
                        },
                        null,
                        null);
        assertTrue(Files.isRegularFile(work.resolve("logs/m1-1.out")), "the logs stay");
        assertFalse(Files.exists(work.resolve("m1")), "the member's data is gone");
        assertFalse(Files.exists(work.resolve("tls")), "so are the key stores");
    }

    @Test
    void aFailedTestKeepsEverythingAndDoesNotPassItsDirectoriesOn() throws Throwable {
        final Path failedWork = root.resolve("failed");
        final AssertionError failure = new AssertionError("planted");
        final Invocation<Void> failing = () -> {
            populate(failedWork);
            throw failure;
        };
        assertSame(
                failure,
                assertThrows(
                        AssertionError.class, () -> new DiscardPassedData().interceptTestMethod(failing, null, null)));
        assertTrue(Files.isRegularFile(failedWork.resolve("m1/data/journal/segment-1.log")), "the data stays");

        final Path nextWork = root.resolve("next");
        new DiscardPassedData()
                .interceptTestTemplateMethod(
                        () -> {
                            populate(nextWork);
                            return null;
                        },
                        null,
                        null);
        assertFalse(Files.exists(nextWork.resolve("m1")), "the next test's own data is gone");
        assertTrue(
                Files.isRegularFile(failedWork.resolve("m1/data/journal/segment-1.log")),
                "a passing test after a failed one leaves the failed one's data");
    }

    /** What a cluster test leaves: a member's journal, key stores, logs. */
    private static void populate(Path work) throws IOException {
        final Path directory = ClusterTestSupport.workDirectory(work.toString());
        Files.createDirectories(directory.resolve("m1/data/journal"));
        Files.write(directory.resolve("m1/data/journal/segment-1.log"), new byte[4096]);
        Files.createDirectories(directory.resolve("tls"));
        Files.write(directory.resolve("tls/m1.p12"), new byte[64]);
        Files.createDirectories(directory.resolve("logs"));
        Files.writeString(directory.resolve("logs/m1-1.out"), "started");
    }
}
