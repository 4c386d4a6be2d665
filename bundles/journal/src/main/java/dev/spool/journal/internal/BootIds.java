package dev.spool.journal.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The identity of the current machine boot, used to tell whether unforced journal writes may have been lost: on
 * Linux {@code /proc/sys/kernel/random/boot_id}. Where that file is absent, every process start counts as a new
 * boot (a random identity per JVM): the safe choice, since a restart then always makes an unforced journal suspect.
 */
public final class BootIds {
    private static final Path LINUX_BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");
    private static final String PROCESS_BOOT_ID = "process-" + UUID.randomUUID();

    private BootIds() {}

    /**
     * Returns the source of the machine's boot identity.
     *
     * @return a supplier reading the boot identity
     */
    public static Supplier<String> system() {
        return BootIds::read;
    }

    private static String read() {
        try {
            return new String(Files.readAllBytes(LINUX_BOOT_ID), StandardCharsets.US_ASCII).trim();
        } catch (IOException | SecurityException e) {
            return PROCESS_BOOT_ID;
        }
    }
}
