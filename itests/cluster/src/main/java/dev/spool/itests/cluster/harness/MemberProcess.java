package dev.spool.itests.cluster.harness;

import dev.spool.itests.cluster.member.MemberMain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One member run as a separate JVM ({@link MemberMain}): started, killed with SIGKILL, stopped, restarted with the
 * same data directory and replication port. Each start writes its standard output and error to its own files in
 * the log directory ({@code <id>-<start>.out}, {@code .err}), for diagnosis.
 *
 * <p>Thread-safe.
 */
public final class MemberProcess {

    private static final long POLL_MILLIS = 20;

    private final String id;
    private final List<String> command;
    private final Path dataDirectory;
    private final Path logDirectory;
    private final int listenPort;
    private List<String> jvmOptions = List.of();
    private List<String> ownOptions = List.of();
    private Process process;
    private Path errorLog;
    private ControlClient control;
    private int starts;

    MemberProcess(
            String id,
            String classpath,
            Path dataDirectory,
            int listenPort,
            Map<String, Integer> peerPorts,
            List<String> memberArgs,
            Path logDirectory) {
        this.id = id;
        this.dataDirectory = dataDirectory;
        this.logDirectory = logDirectory;
        this.listenPort = listenPort;
        final List<String> args = new ArrayList<>(List.of(
                "-cp",
                classpath,
                MemberMain.class.getName(),
                "--id",
                id,
                "--data",
                dataDirectory.toString(),
                "--listen",
                "127.0.0.1:" + listenPort,
                "--exit-on-stdin-eof"));
        peerPorts.forEach((peer, port) -> args.addAll(List.of("--peer", peer + "=127.0.0.1:" + port)));
        args.addAll(memberArgs);
        this.command = List.copyOf(args);
    }

    /** @return the member's id */
    public String id() {
        return id;
    }

    /** @return the loopback port the member's peers connect to (its replication port) */
    public int listenPort() {
        return listenPort;
    }

    /** @return the member's data directory (its journal and snapshots), kept across restarts */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /**
     * Sets the JVM options of the next starts (such as {@code -Xmx48m}).
     *
     * @param options the options
     */
    public synchronized void jvmOptions(List<String> options) {
        this.jvmOptions = List.copyOf(options);
    }

    /**
     * Sets member options of the next starts that only this member gets (such as its own TLS key store), after
     * the ones every member gets.
     *
     * @param options the options
     */
    public synchronized void memberOptions(List<String> options) {
        this.ownOptions = List.copyOf(options);
    }

    /**
     * Starts the member and waits until its control endpoint serves.
     *
     * @param timeout how long to wait for {@code READY}
     * @throws IOException if the process cannot start, ends before it is ready, or is not ready in time (it is
     *     killed then); the message holds the end of its error output
     * @throws IllegalStateException if it runs already
     */
    public synchronized void start(Duration timeout) throws IOException, InterruptedException {
        if (alive()) {
            throw new IllegalStateException("member " + id + " runs already");
        }
        starts++;
        Files.createDirectories(logDirectory);
        final Path out = logDirectory.resolve(id + "-" + starts + ".out");
        final Path err = logDirectory.resolve(id + "-" + starts + ".err");
        errorLog = err;
        final List<String> full = new ArrayList<>();
        full.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        full.addAll(jvmOptions);
        full.addAll(command);
        full.addAll(ownOptions);
        // Standard input stays a pipe this JVM never writes: it ends when this JVM dies, and the member with it.
        process = new ProcessBuilder(full)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        control = null;
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (control == null) {
            final String output = Files.readString(out, StandardCharsets.UTF_8);
            final int ready = output.indexOf("READY ");
            if (ready >= 0 && output.indexOf('\n', ready) > 0) {
                control = new ControlClient(
                        id,
                        Integer.parseInt(output.substring(ready + 6, output.indexOf('\n', ready))
                                .trim()));
            } else if (!process.isAlive()) {
                throw new IOException(
                        "member " + id + " exited with " + process.exitValue() + " before it was ready: " + tail(err));
            } else if (System.nanoTime() > deadline) {
                kill();
                throw new IOException("member " + id + " was not ready within " + timeout + ": " + tail(err));
            } else {
                Thread.sleep(POLL_MILLIS);
            }
        }
    }

    /**
     * Kills the member with SIGKILL ({@code kill -9}) and waits until it is gone: it gets no chance to flush or
     * close anything.
     */
    public synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    /**
     * Stops the member with SIGTERM (it closes its group, storage and transport), or kills it after 10 s.
     */
    public synchronized void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    /**
     * Pauses the member with SIGSTOP: every thread of it stops at once, its sockets stay open, and the peers'
     * data waits unread in them. Its control endpoint does not answer until {@link #resume}.
     *
     * @throws IOException if the signal cannot be sent
     * @throws IllegalStateException if the member does not run
     */
    public synchronized void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /**
     * Resumes a paused member with SIGCONT.
     *
     * @throws IOException if the signal cannot be sent
     * @throws IllegalStateException if the member does not run
     */
    public synchronized void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        if (!alive()) {
            throw new IllegalStateException("member " + id + " does not run");
        }
        final Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                .redirectErrorStream(true)
                .start();
        final String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " failed: " + output);
        }
    }

    /** @return whether the member's process runs */
    public synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    /**
     * Returns the client of the running member's control endpoint.
     *
     * @return the client
     * @throws IllegalStateException if the member did not start or was stopped
     */
    public synchronized ControlClient control() {
        if (control == null || !alive()) {
            throw new IllegalStateException("member " + id + " does not run");
        }
        return control;
    }

    /**
     * Reads what the latest start wrote to its standard error.
     *
     * @return the text, empty if the member never started
     * @throws IOException if the file cannot be read
     */
    public synchronized String errorOutput() throws IOException {
        return errorLog == null ? "" : Files.readString(errorLog, StandardCharsets.UTF_8);
    }

    /** @return the process's id, or -1 if it never started */
    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    private static String tail(Path file) throws IOException {
        final String text = Files.readString(file, StandardCharsets.UTF_8);
        return text.length() <= 4_000 ? text : "..." + text.substring(text.length() - 4_000);
    }

    @Override
    public String toString() {
        return "member " + id + (alive() ? " (pid " + pid() + ")" : " (not running)");
    }
}
