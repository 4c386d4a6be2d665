package dev.spool.replication;

import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What a test needs to run a program of the test classes in a JVM of its own. */
final class ChildJvm {

    private ChildJvm() {}

    /** Returns the {@code java} launcher of this JVM. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Returns this JVM's class path and module path, and the test classes: the child runs everything on its class
     * path.
     */
    static String classPath() throws Exception {
        final Set<String> entries = new LinkedHashSet<>();
        entries.add(testClasses().toString());
        for (String property : List.of("jdk.module.path", "java.class.path")) {
            final String value = System.getProperty(property);
            if (value != null && !value.isEmpty()) {
                entries.addAll(List.of(value.split(File.pathSeparator)));
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** Returns the directory of the compiled test classes. */
    static Path testClasses() throws Exception {
        return Path.of(ChildJvm.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    }

    /** Returns the end of a child's output, for a failure message. */
    static String tail(String log) {
        return log.length() <= 6000 ? log : log.substring(log.length() - 6000);
    }
}
