package dev.spool.journal.internal.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.group.Durability;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The component's configuration checks. */
class JournalSettingsTest {

    @Test
    @DisplayName("the defaults are valid; a relative base directory resolves against karaf.data")
    void defaults() {
        JournalSettings settings =
                JournalSettings.of("spool/journal", 67108864, 16777216, "SYNC", 268435456L, "/opt/karaf/data");
        assertEquals(Path.of("/opt/karaf/data/spool/journal"), settings.baseDirectory());
        assertEquals(Durability.SYNC, settings.spec().durability());
        assertEquals(67108864, settings.spec().segmentSize());
        assertEquals(16777216, settings.spec().maxEntrySize());
        assertEquals(268435456L, settings.freeSpaceFloor());
        assertEquals(
                Path.of("spool/journal").toAbsolutePath(),
                JournalSettings.of("spool/journal", 67108864, 16777216, "NONE", 0, null)
                        .baseDirectory());
    }

    @Test
    @DisplayName("a wrong value is refused with an error naming the property and the value")
    void wrongValuesAreNamed() {
        assertNamed("segmentSize=2147483647", () -> JournalSettings.of("d", Integer.MAX_VALUE, 1024, "SYNC", 0, null));
        assertNamed("maxEntrySize=65536", () -> JournalSettings.of("d", 65536, 65536, "SYNC", 0, null));
        assertNamed("maxEntrySize=65500", () -> JournalSettings.of("d", 65536, 65500, "SYNC", 0, null));
        assertNamed("durability=FSYNC", () -> JournalSettings.of("d", 65536, 1024, "FSYNC", 0, null));
        assertNamed("freeSpaceFloor=-1", () -> JournalSettings.of("d", 65536, 1024, "NONE", -1, null));
        assertNamed("baseDirectory=", () -> JournalSettings.of(" ", 65536, 1024, "NONE", 0, null));
    }

    private static void assertNamed(String expected, Runnable configure) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, configure::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains("dev.spool.journal"), e.getMessage());
    }
}
