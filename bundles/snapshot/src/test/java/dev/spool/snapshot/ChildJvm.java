package dev.spool.snapshot;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM running {@link SnapshotChild} on the class path of this test run (the modules and the test classes), so a
 * test can kill it or bound its heap. Its output is read line by line; everything it printed is kept for failures.
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final BufferedReader output;
    private final StringBuilder transcript = new StringBuilder();

    private ChildJvm(Process process) {
        this.process = process;
        this.output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static ChildJvm start(List<String> jvmOptions, String... arguments) throws IOException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
        command.add("-cp");
        command.add(classPath());
        command.add(SnapshotChild.class.getName());
        command.addAll(List.of(arguments));
        return new ChildJvm(
                new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    private static String classPath() {
        final List<String> entries = new ArrayList<>();
        for (String property : List.of("jdk.module.path", "java.class.path")) {
            final String value = System.getProperty(property);
            if (value != null) {
                for (String entry : value.split(File.pathSeparator)) {
                    if (!entry.isEmpty()) {
                        entries.add(entry);
                    }
                }
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** Reads output until a line equal to {@code marker}; fails if the child ends first. */
    void awaitLine(String marker) throws IOException {
        for (String line; (line = output.readLine()) != null; ) {
            transcript.append(line).append('\n');
            if (line.equals(marker)) {
                return;
            }
        }
        throw new AssertionError("the child ended before printing " + marker + ":\n" + transcript);
    }

    /** Kills the child the way a power cut or {@code kill -9} would: no shutdown hooks, no flushing. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the killed child did not end");
        }
    }

    /** Waits for the child to end and returns its exit code. */
    int await(long timeoutSeconds) throws IOException, InterruptedException {
        for (String line; (line = output.readLine()) != null; ) {
            transcript.append(line).append('\n');
        }
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the child did not end within " + timeoutSeconds + " s:\n" + transcript);
        }
        return process.exitValue();
    }

    String transcript() {
        return transcript.toString();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
