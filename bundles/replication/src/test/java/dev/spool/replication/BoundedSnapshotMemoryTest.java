package dev.spool.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower that stores snapshot chunks slowly costs bounded memory: the received chunks it has not stored yet hold
 * their flow-control credit, so the leader never has more than one window of chunks outstanding to it. Proven in a
 * JVM of its own with a 64 MiB heap ({@link SlowSnapshotFollower}), streaming a snapshot three times that size.
 */
class BoundedSnapshotMemoryTest {

    @TempDir
    Path directory;

    @Test
    @Timeout(240)
    @DisplayName("a snapshot of 192 MiB reaches a slow follower through members whose heap is 64 MiB")
    void slowFollowerCostsOneWindow() throws Exception {
        final Path output = directory.resolve("child.log");
        final List<String> command = new ArrayList<>(List.of(
                ChildJvm.java(),
                "-Xmx64m",
                "-XX:+ExitOnOutOfMemoryError",
                "-Dio.netty.leakDetection.level=paranoid",
                "-Djava.io.tmpdir=" + directory,
                "-cp",
                ChildJvm.classPath(),
                SlowSnapshotFollower.class.getName(),
                directory.resolve("members").toString()));
        final Process child = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        if (!child.waitFor(220, TimeUnit.SECONDS)) {
            child.destroyForcibly().waitFor();
        }
        final String log = Files.readString(output);
        assertEquals(
                0,
                child.exitValue(),
                () -> "the member JVM ended with " + child.exitValue() + ":\n" + ChildJvm.tail(log));
        log.lines().filter(line -> line.startsWith("peak heap")).forEach(System.out::println);
    }
}
