package dev.spool.journal.internal;

import dev.spool.api.spi.journal.JournalClosedException;
import dev.spool.api.spi.journal.TermStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A {@link TermStore} in one file (a {@link SlotFile}), locked while open. Payload: term (8 bytes), vote and boot
 * identity as length-prefixed UTF-8 strings. Every update is forced before it returns.
 *
 * <p>Threads: any thread reads (the current value is one immutable snapshot); updates are serialised.
 */
public final class FileTermStore implements TermStore {
    /** The longest vote (member identity) accepted, in UTF-8 bytes. */
    public static final int MAX_VOTE_BYTES = 256;

    private final String name;
    private final FileLockHolder lock;
    private final SlotFile slots;
    private final Supplier<String> bootId;
    private final Runnable onClose;
    private volatile State state;
    private volatile boolean closed;

    private record State(long term, String votedFor, String bootId) {}

    private FileTermStore(String name, FileLockHolder lock, SlotFile slots, Supplier<String> bootId, Runnable onClose) {
        this.name = name;
        this.lock = lock;
        this.slots = slots;
        this.bootId = bootId;
        this.onClose = onClose;
    }

    /**
     * Opens or creates the store in {@code file}.
     *
     * @param name the store's name, for messages
     * @param file the store's file
     * @param bootId the source of the current boot identity
     * @param directorySync forces the store's directory, so that its file's name is durable
     * @param onClose run once when the store closes
     * @return the open store
     * @throws JournalLockedException if the store is open elsewhere
     * @throws IOException if the file cannot be read or fails its checksums
     */
    public static FileTermStore open(
            String name, Path file, Supplier<String> bootId, DirectorySync directorySync, Runnable onClose)
            throws IOException {
        directorySync.createDirectories(file.getParent());
        FileLockHolder lock = FileLockHolder.lock(file);
        try {
            // The lock created the file if it was new: its name is durable before any update is acknowledged.
            directorySync.force(file.getParent());
            SlotFile slots = new SlotFile(lock.channel(), file);
            FileTermStore store = new FileTermStore(name, lock, slots, bootId, onClose);
            ByteBuffer payload = slots.read();
            store.state = payload == null
                    ? new State(0, null, "")
                    : new State(payload.getLong(), SlotFile.getString(payload), SlotFile.getString(payload));
            return store;
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    @Override
    public long term() {
        return state.term();
    }

    @Override
    public Optional<String> votedFor() {
        return Optional.ofNullable(state.votedFor());
    }

    @Override
    public String bootId() {
        return state.bootId();
    }

    @Override
    public synchronized void update(long term, String votedFor) throws IOException {
        if (closed) {
            throw new JournalClosedException(name);
        }
        State current = state;
        if (term < current.term()) {
            throw new IllegalArgumentException("term " + term + " is below the stored term " + current.term());
        }
        if (term == current.term()
                && current.votedFor() != null
                && !current.votedFor().equals(votedFor)) {
            throw new IllegalArgumentException("vote in term " + term + " is already given to " + current.votedFor()
                    + ", cannot change it to " + votedFor);
        }
        if (votedFor != null && votedFor.getBytes(StandardCharsets.UTF_8).length > MAX_VOTE_BYTES) {
            throw new IllegalArgumentException("vote of more than " + MAX_VOTE_BYTES + " UTF-8 bytes");
        }
        String boot = bootId.get();
        State next = new State(term, votedFor, boot);
        if (next.equals(current)) {
            return;
        }
        ByteBuffer payload =
                ByteBuffer.allocate(Long.BYTES + SlotFile.encodedLength(votedFor) + SlotFile.encodedLength(boot));
        payload.putLong(term);
        SlotFile.putString(payload, votedFor);
        SlotFile.putString(payload, boot);
        slots.write(payload.flip());
        state = next;
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            lock.close();
        } finally {
            onClose.run();
        }
    }

    @Override
    public String toString() {
        return "term store " + name + " " + Objects.toString(state);
    }
}
