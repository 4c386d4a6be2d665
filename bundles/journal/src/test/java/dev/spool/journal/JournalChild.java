package dev.spool.journal;

import dev.spool.api.group.Durability;
import dev.spool.api.spi.journal.Journal;
import dev.spool.api.spi.journal.JournalLockedException;
import dev.spool.api.spi.journal.JournalSpec;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A journal user in a separate JVM, for the tests that need one: {@code lock <base>} holds journal {@code j} open
 * until its standard input closes; {@code append <base>} appends to a NONE journal {@code j} forever, printing each
 * index the journal reported written.
 */
public final class JournalChild {
    static final JournalSpec SPEC = new JournalSpec(Durability.NONE, 1 << 20, 64 << 10);

    private JournalChild() {}

    public static void main(String[] args) throws Exception {
        try (MappedJournalService service = new MappedJournalService(Path.of(args[1]), SPEC, 0)) {
            run(service, args[0]);
        } catch (JournalLockedException e) {
            System.exit(1);
        }
    }

    private static void run(MappedJournalService service, String mode) throws Exception {
        Journal journal = service.open("j");
        if (mode.equals("lock")) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the journal until the parent closes our input
            }
        } else {
            for (long i = journal.lastIndex() + 1; ; i++) {
                long index = journal.writer().append(1, Payloads.UNSIZED, Payloads.payload(i, 100 + (int) (i % 4000)));
                System.out.println(index);
            }
        }
    }

    /** Starts this class in a new JVM with the test's own java binary and class path. */
    static Process start(String mode, Path base) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> path = new ArrayList<>();
        for (String property : new String[] {"jdk.module.path", "java.class.path"}) {
            String value = System.getProperty(property);
            if (value != null && !value.isEmpty()) {
                path.add(value);
            }
        }
        path.add(codeLocation(JournalChild.class));
        path.add(codeLocation(MappedJournalService.class));
        return new ProcessBuilder(
                        java,
                        "-cp",
                        String.join(File.pathSeparator, path),
                        JournalChild.class.getName(),
                        mode,
                        base.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static String codeLocation(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (Exception e) {
            throw new IllegalStateException("cannot locate the classes of " + type, e);
        }
    }
}
