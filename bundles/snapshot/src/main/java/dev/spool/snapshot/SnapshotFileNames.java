package dev.spool.snapshot;

import dev.spool.api.spi.snapshot.SnapshotDescriptor;
import dev.spool.api.spi.snapshot.SnapshotMetadata;
import java.util.regex.Pattern;

/**
 * Names of the files in a group's directory. Index and term are zero-padded to 20 digits, so the lexical order of
 * published names is the order of (last index, last term).
 *
 * <ul>
 *   <li>published: {@code snapshot-<index>-<term>.snap}</li>
 *   <li>being written: {@code snapshot-<index>-<term>-<random>.tmp}, never read, removed when the group opens</li>
 *   <li>being received: {@code snapshot-<index>-<term>-<checksum>-<size>.partial}, kept for a resumed transfer</li>
 * </ul>
 */
final class SnapshotFileNames {
    static final String PUBLISHED_SUFFIX = ".snap";
    static final String TEMPORARY_SUFFIX = ".tmp";
    static final String PARTIAL_SUFFIX = ".partial";

    private static final Pattern PUBLISHED = Pattern.compile("snapshot-\\d{20}-\\d{20}\\.snap");

    private SnapshotFileNames() {}

    static String published(long lastIndex, long lastTerm) {
        return prefix(lastIndex, lastTerm) + PUBLISHED_SUFFIX;
    }

    /** Returns the start of a temporary file's name; the file system adds a unique part and the suffix. */
    static String temporaryPrefix(SnapshotMetadata metadata) {
        return prefix(metadata.lastIndex(), metadata.lastTerm()) + "-";
    }

    static String partial(SnapshotDescriptor descriptor) {
        return prefix(descriptor.lastIndex(), descriptor.lastTerm())
                + String.format("-%08x-%d", descriptor.checksum(), descriptor.size())
                + PARTIAL_SUFFIX;
    }

    static boolean isPublished(String name) {
        return PUBLISHED.matcher(name).matches();
    }

    static boolean isTemporary(String name) {
        return name.startsWith("snapshot-") && name.endsWith(TEMPORARY_SUFFIX);
    }

    static boolean isPartial(String name) {
        return name.startsWith("snapshot-") && name.endsWith(PARTIAL_SUFFIX);
    }

    private static String prefix(long lastIndex, long lastTerm) {
        return String.format("snapshot-%020d-%020d", lastIndex, lastTerm);
    }
}
