package dev.spool.snapshot;

import dev.spool.api.spi.snapshot.CorruptSnapshotException;
import dev.spool.api.spi.snapshot.Snapshot;
import dev.spool.api.spi.snapshot.SnapshotDescriptor;
import dev.spool.api.spi.snapshot.SnapshotReceiver;
import dev.spool.api.spi.snapshot.SnapshotTransferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the chunks of one transfer, in order, into the group's partial file, whose length is the resume point. The
 * bytes are trusted for nothing until {@link #complete()} has checked all of them, so chunks are not forced as they
 * arrive: a partial file torn by a crash only fails that check and the transfer starts over.
 */
final class FileSnapshotReceiver implements SnapshotReceiver {
    private final GroupDirectory group;
    private final Path partial;
    private final SnapshotDescriptor descriptor;
    private final FileChannel channel;
    private long next;
    private boolean finished;
    /** Set by the group's monitor holder when a newer receiver takes over; read by the feeding thread. */
    private volatile boolean superseded;

    private FileSnapshotReceiver(
            GroupDirectory group, Path partial, SnapshotDescriptor descriptor, FileChannel channel, long next) {
        this.group = group;
        this.partial = partial;
        this.descriptor = descriptor;
        this.channel = channel;
        this.next = next;
    }

    /** Opens the partial file of {@code descriptor}, resuming after the bytes it holds. */
    static FileSnapshotReceiver open(GroupDirectory group, Path partial, SnapshotDescriptor descriptor)
            throws IOException {
        final FileChannel channel = group.openForWriting(partial);
        long received = channel.size();
        if (received > descriptor.size()) {
            // Cannot come from this store: the name carries the size. Start over rather than trust it.
            channel.truncate(0);
            received = 0;
        }
        return new FileSnapshotReceiver(group, partial, descriptor, channel, received);
    }

    @Override
    public SnapshotDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public long nextOffset() {
        return next;
    }

    @Override
    public long accept(long offset, ByteBuffer chunk) throws IOException {
        ensureActive();
        if (offset < 0) {
            throw new IllegalArgumentException("negative chunk offset " + offset);
        }
        if (offset > next) {
            throw new SnapshotTransferException("gap in the transfer of " + descriptor + ": a chunk starts at offset "
                    + offset + ", the next byte expected is at " + next);
        }
        final long end = offset + chunk.remaining();
        if (end > descriptor.size()) {
            throw new SnapshotTransferException("a chunk at offset " + offset + " of " + chunk.remaining()
                    + " bytes runs past the announced size of " + descriptor);
        }
        if (end <= next) {
            chunk.position(chunk.limit());
            return next;
        }
        chunk.position(chunk.position() + (int) (next - offset));
        try {
            while (chunk.hasRemaining()) {
                next += channel.write(chunk, next);
            }
        } catch (IOException e) {
            throw WriteFailures.named(partial, e);
        }
        return next;
    }

    @Override
    public Snapshot complete() throws IOException {
        ensureActive();
        if (next < descriptor.size()) {
            throw new SnapshotTransferException(
                    "the transfer of " + descriptor + " is incomplete: " + next + " bytes received");
        }
        finished = true;
        try {
            channel.force(true);
            channel.close();
        } catch (IOException e) {
            throw WriteFailures.named(partial, e);
        }
        try (FileSnapshot received = FileSnapshot.open(partial)) {
            if (!received.descriptor().equals(descriptor)) {
                throw new CorruptSnapshotException(
                        partial,
                        0,
                        "the header describes " + received.descriptor() + ", the leader announced " + descriptor);
            }
            received.verify();
        } catch (CorruptSnapshotException e) {
            Files.deleteIfExists(partial);
            group.receiverFinished(this);
            throw new SnapshotTransferException(
                    "the received " + descriptor + " does not verify and was discarded: " + e.getMessage(), e);
        }
        return group.publishReceived(this, partial);
    }

    @Override
    public void abort() throws IOException {
        if (finish()) {
            Files.deleteIfExists(partial);
        }
    }

    @Override
    public void close() throws IOException {
        finish();
    }

    /** Ends this receiver; returns whether it still owned the partial file. */
    private boolean finish() throws IOException {
        if (finished) {
            return false;
        }
        finished = true;
        channel.close();
        group.receiverFinished(this);
        return !superseded;
    }

    /** Called by the group, under its monitor, when a newer receiver takes over the group. */
    void supersede() throws IOException {
        superseded = true;
        channel.close();
    }

    private void ensureActive() {
        if (superseded) {
            throw new IllegalStateException("the receiver of " + descriptor + " was superseded by a newer transfer");
        }
        if (finished) {
            throw new IllegalStateException("the receiver of " + descriptor + " is finished");
        }
    }
}
