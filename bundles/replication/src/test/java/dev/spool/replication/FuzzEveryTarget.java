package dev.spool.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The fuzzing step (profile {@code fuzz}): every {@code @FuzzTest} method of the test classes is fuzzed for
 * {@code jazzer.max_duration} in a JVM of its own ({@link FuzzTarget}), one after the other, since Jazzer fuzzes one
 * target per JVM. A new target needs nothing more than its annotation; {@code spool.fuzz.targets} (names such as
 * {@code FrameFuzzTest#credit}, comma-separated) restricts the run to some. The name keeps it out of the ordinary test
 * run, which replays the corpora already.
 */
class FuzzEveryTarget {

    private static final Pattern DURATION = Pattern.compile("(\\d+)([smh]?)");
    /** Beyond the fuzzing time: the JVM's start, Jazzer's instrumentation, the corpus replay. */
    private static final long GRACE_SECONDS = 120;

    @TestFactory
    Stream<DynamicTest> fuzzEachTargetInItsOwnJvm() throws Exception {
        final String only = System.getProperty("spool.fuzz.targets", "").trim();
        final List<Method> targets = targets().stream()
                .filter(target ->
                        only.isEmpty() || Arrays.asList(only.split("\\s*,\\s*")).contains(name(target)))
                .toList();
        assertFalse(
                targets.isEmpty(),
                () -> "no @FuzzTest method among the test classes"
                        + (only.isEmpty() ? "" : " is named in spool.fuzz.targets=" + only));
        final String duration = System.getProperty("jazzer.max_duration", "30s");
        final Path logs = Files.createDirectories(Path.of("target", "fuzz"));
        return targets.stream()
                .map(target -> DynamicTest.dynamicTest(
                        name(target), () -> fuzz(target, duration, logs.resolve(name(target) + ".log"))));
    }

    private static void fuzz(Method target, String duration, Path log) throws Exception {
        final List<String> command = new ArrayList<>(List.of(
                ChildJvm.java(),
                "-Djazzer.max_duration=" + duration,
                "-Dio.netty.leakDetection.level=paranoid",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp",
                ChildJvm.classPath(),
                FuzzTarget.class.getName(),
                target.getDeclaringClass().getName(),
                target.getName()));
        // Jazzer keeps the inputs it finds in .cifuzz-corpus/ of the working directory, this module's.
        final Process child = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!child.waitFor(seconds(duration) + GRACE_SECONDS, TimeUnit.SECONDS)) {
            child.destroyForcibly().waitFor();
        }
        assertEquals(
                0,
                child.exitValue(),
                () -> name(target) + " ended with " + child.exitValue() + " (see " + log + "):\n"
                        + ChildJvm.tail(read(log)));
    }

    /** The {@code @FuzzTest} methods of the compiled test classes, by class and method name. */
    private static List<Method> targets() throws Exception {
        final Path classes = ChildJvm.testClasses();
        final List<Method> targets = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                final String name = classes.relativize(file)
                        .toString()
                        .replace(file.getFileSystem().getSeparator(), ".")
                        .replaceAll("\\.class$", "");
                final Class<?> type = Class.forName(name, false, FuzzEveryTarget.class.getClassLoader());
                Arrays.stream(type.getDeclaredMethods())
                        .filter(m -> m.isAnnotationPresent(FuzzTest.class))
                        .forEach(targets::add);
            }
        }
        targets.sort(Comparator.comparing(FuzzEveryTarget::name));
        return targets;
    }

    private static String name(Method target) {
        return target.getDeclaringClass().getSimpleName() + "#" + target.getName();
    }

    /** Jazzer's duration ({@code 30s}, {@code 5m}, {@code 1h}, or plain seconds) in seconds. */
    private static long seconds(String duration) {
        final Matcher matcher = DURATION.matcher(duration.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("jazzer.max_duration=" + duration + ": not a duration like 30s");
        }
        final long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "m" -> TimeUnit.MINUTES.toSeconds(amount);
            case "h" -> TimeUnit.HOURS.toSeconds(amount);
            default -> amount;
        };
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
