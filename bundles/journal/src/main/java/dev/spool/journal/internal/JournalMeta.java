package dev.spool.journal.internal;

import dev.spool.api.group.Durability;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The journal's suspect-log state, in the file {@code journal.meta} (a {@link SlotFile}). Payload: one byte
 * {@code suspect} (0 or 1), then the boot identity under which unforced ({@link Durability#NONE}) writes were last
 * made, as a length-prefixed UTF-8 string ({@code -1} length: none).
 *
 * <p>Rule: at open, if unforced writes were made under a boot other than the current one, they may have been lost
 * in the machine restart, so the journal becomes suspect until {@link #clearSuspect()}. A journal opened
 * {@code NONE} then records the current boot as the one its unforced writes are made under.
 */
final class JournalMeta implements AutoCloseable {
    static final String FILE_NAME = "journal.meta";

    private final FileChannel channel;
    private final SlotFile slots;
    private boolean suspect;
    private String unforcedBoot;

    private JournalMeta(FileChannel channel, SlotFile slots) {
        this.channel = channel;
        this.slots = slots;
    }

    /**
     * Reads the state of the journal in {@code directory}, without changing anything yet.
     *
     * @throws IOException if the file cannot be read or holds no valid slot
     */
    static JournalMeta read(Path directory) throws IOException {
        Path file = directory.resolve(FILE_NAME);
        FileChannel channel =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            JournalMeta meta = new JournalMeta(channel, new SlotFile(channel, file));
            ByteBuffer payload = meta.slots.read();
            if (payload != null) {
                meta.suspect = payload.get() != 0;
                meta.unforcedBoot = SlotFile.getString(payload);
            }
            return meta;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Whether unforced writes were made under a boot other than {@code currentBoot}: the machine restarted since, and
     * page-cache write-back of those writes may have been lost, leaving holes anywhere in what they wrote.
     */
    boolean unforcedWritesOfAnotherBoot(String currentBoot) {
        return unforcedBoot != null && !unforcedBoot.equals(currentBoot);
    }

    /**
     * Applies the suspect rule for an open under {@code currentBoot} with {@code durability}; persists changes.
     *
     * @param entriesLost whether the open dropped entries that may have counted as flushed: the journal is suspect
     */
    void opened(String currentBoot, Durability durability, boolean entriesLost) throws IOException {
        boolean newSuspect = suspect || entriesLost || unforcedWritesOfAnotherBoot(currentBoot);
        String newUnforcedBoot =
                durability == Durability.NONE ? currentBoot : currentBoot.equals(unforcedBoot) ? unforcedBoot : null;
        if (newSuspect != suspect || !java.util.Objects.equals(newUnforcedBoot, unforcedBoot)) {
            suspect = newSuspect;
            unforcedBoot = newUnforcedBoot;
            persist();
        }
    }

    boolean suspect() {
        return suspect;
    }

    void clearSuspect() throws IOException {
        if (suspect) {
            suspect = false;
            persist();
        }
    }

    private void persist() throws IOException {
        ByteBuffer payload = ByteBuffer.allocate(1 + SlotFile.encodedLength(unforcedBoot));
        payload.put((byte) (suspect ? 1 : 0));
        SlotFile.putString(payload, unforcedBoot);
        slots.write(payload.flip());
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
