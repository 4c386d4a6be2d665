package dev.spool.itests.cluster.karaf;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A cluster of Spool Karaf instances on this machine, driven through {@code spool-cluster.sh}: the script a user
 * runs, so the test exercises it too. {@link #close()} leaves no Karaf JVM behind, even if the script's stop fails.
 *
 * <p>Threads: one test thread.
 */
final class KarafCluster implements AutoCloseable {

    /** Ports a member uses: base + 10 * member + 0..3 (replication, SSH, JMX RMI registry and server). */
    private static final int PORTS_PER_MEMBER = 4;

    private static final Pattern ANSI_ESCAPE = Pattern.compile("\u001B\\[[0-9;]*m");

    private final Path script;
    private final Path directory;
    private int members;
    /** The base port {@link #create} used. */
    private int basePort;

    /**
     * Describes a cluster; nothing runs until {@link #create} and {@link #start}.
     *
     * @param script {@code spool-cluster.sh}
     * @param directory the cluster directory, which the cluster owns entirely
     * @param members how many members
     */
    KarafCluster(Path script, Path directory, int members) {
        this.script = script;
        this.directory = directory.toAbsolutePath();
        this.members = members;
    }

    int members() {
        return members;
    }

    /**
     * Returns where a member listens for its peers.
     *
     * @param member the member's number, from 1
     * @return its replication port (the script's base + 10 × member)
     */
    int replicationPort(int member) {
        return basePort + 10 * member;
    }

    /**
     * Finds a base port at or above {@code from} (in steps of 100) whose members' ports, and those of one member
     * more (see {@link #join}), are all free on loopback.
     *
     * @param from the first base port to try
     * @return a base port for {@link #create}
     */
    int freeBasePort(int from) {
        for (int base = from; base < from + 100 * 100; base += 100) {
            if (allFree(base)) {
                return base;
            }
        }
        throw new IllegalStateException("no free ports for " + members + " members from " + from);
    }

    private boolean allFree(int base) {
        for (int member = 1; member <= members + 1; member++) {
            for (int offset = 0; offset < PORTS_PER_MEMBER; offset++) {
                try (ServerSocket ignored =
                        new ServerSocket(base + 10 * member + offset, 1, InetAddress.getLoopbackAddress())) {
                    // bound, so free
                } catch (IOException e) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Unpacks and configures the members.
     *
     * @param distribution the distribution archive
     * @param basePort the base port
     */
    void create(Path distribution, int basePort) {
        this.basePort = basePort;
        run(
                        60,
                        "-n",
                        Integer.toString(members),
                        "-p",
                        Integer.toString(basePort),
                        "-t",
                        distribution.toString(),
                        "create")
                .requireSuccess("create");
    }

    /**
     * Unpacks and configures one more member, configured to join the running group of the others; {@link #start}
     * starts it.
     *
     * @param distribution the distribution archive
     * @return the new member's number
     */
    int join(Path distribution) {
        run(60, "-t", distribution.toString(), "join").requireSuccess("join");
        return ++members;
    }

    /** Starts every member not running in the background and waits until each console answers. */
    void start() {
        run(30, "start").requireSuccess("start");
        run(300, "wait", "240").requireSuccess("wait");
    }

    /**
     * Runs one console command on a member.
     *
     * @param member the member's number, from 1
     * @param command the command line
     * @return the client's exit status and output (standard output and error, without colours)
     */
    Reply console(int member, String command) {
        return run(60, "client", Integer.toString(member), command);
    }

    /** Stops and deletes the cluster, then kills whatever Karaf JVM of it still runs. */
    @Override
    public void close() {
        try {
            run(180, "destroy").requireSuccess("destroy");
        } finally {
            killLeftovers();
        }
    }

    /** Kills every Karaf JVM of this cluster. */
    private void killLeftovers() {
        karafProcesses().forEach(process -> {
            process.destroyForcibly();
            process.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        });
    }

    /**
     * Tells whether any Karaf JVM of this cluster runs.
     *
     * @return whether one runs
     */
    boolean anyRunning() {
        return karafProcesses().findAny().isPresent();
    }

    /** @return the Karaf JVMs whose base directory lies in this cluster's directory */
    private Stream<ProcessHandle> karafProcesses() {
        final String base = "-Dkaraf.base=" + directory + "/";
        return ProcessHandle.allProcesses()
                .filter(process -> process.info()
                        .commandLine()
                        .map(line -> line.contains(base))
                        .orElse(false));
    }

    private Reply run(long timeoutSeconds, String... arguments) {
        final List<String> command = new ArrayList<>(List.of("sh", script.toString(), "-d", directory.toString()));
        command.addAll(List.of(arguments));
        try {
            // A file, not a pipe, so a hanging script cannot block the test past its timeout.
            final Path output = Files.createTempFile("spool-cluster", ".out");
            final ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            // The instances and their clients run on the test's own Java.
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            final Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within " + timeoutSeconds + " s");
            }
            final String printed = Files.readString(output);
            Files.delete(output);
            return new Reply(
                    String.join(" ", arguments),
                    process.exitValue(),
                    ANSI_ESCAPE.matcher(printed).replaceAll(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }

    /**
     * What a script run answered.
     *
     * @param request the script's arguments
     * @param exitStatus its exit status
     * @param output what it printed
     */
    record Reply(String request, int exitStatus, String output) {

        Reply requireSuccess(String what) {
            if (exitStatus != 0) {
                throw new IllegalStateException(
                        "spool-cluster.sh " + what + " failed (exit status " + exitStatus + "):\n" + output);
            }
            return this;
        }

        /** @return the output's lines, without blank ones */
        List<String> lines() {
            return output.lines().filter(line -> !line.isBlank()).toList();
        }
    }
}
