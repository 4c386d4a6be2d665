package dev.spool.raft.group;

import dev.spool.api.cluster.Membership;
import dev.spool.api.group.GroupBackup;
import dev.spool.api.spi.codec.ByteBufferEntrySource;
import dev.spool.api.spi.journal.EntryReader;
import dev.spool.api.spi.journal.Journal;
import dev.spool.api.spi.journal.RawRecords;
import dev.spool.api.spi.journal.RecordDescriptor;
import dev.spool.api.spi.snapshot.Snapshot;
import dev.spool.api.spi.snapshot.SnapshotMetadata;
import dev.spool.api.spi.snapshot.SnapshotStore;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * Writes one backup file (layout in {@link BackupFormat}) from a running group's latest snapshot and the committed
 * journal entries after it, copying through one 64 KiB buffer: the snapshot's content as its stream yields it, the
 * entries as raw records exactly as they lie in the journal, so memory does not grow with the group.
 *
 * <p>Threads: the caller's, while the group runs; it only reads the journal and the snapshot store.
 */
final class BackupWriter {

    /** Records handed out by one raw read: one journal view held at a time. */
    private static final int RECORDS_PER_READ = 4096;

    private final String group;
    private final String memberId;
    private final SnapshotStore snapshots;
    private final Journal journal;
    private final LongSupplier committed;
    private final byte[] chunk = new byte[BackupFormat.CHUNK_BYTES];
    private final ByteBufferEntrySource payload = new ByteBufferEntrySource();

    /**
     * @param group the group
     * @param memberId this member, recorded in the file
     * @param snapshots the group's snapshot store
     * @param journal the group's open journal
     * @param committed the last entry committed and written to this member's journal
     */
    BackupWriter(String group, String memberId, SnapshotStore snapshots, Journal journal, LongSupplier committed) {
        this.group = group;
        this.memberId = memberId;
        this.snapshots = snapshots;
        this.journal = journal;
        this.committed = committed;
    }

    /**
     * Writes the backup to {@code file} through a temporary file beside it, forced, renamed and its directory forced.
     *
     * @return what the file holds
     * @throws IOException naming the file; the temporary file is deleted
     */
    GroupBackup write(Path file) throws IOException {
        final Path target = file.toAbsolutePath();
        if (Files.exists(target)) {
            throw new IOException("backup " + target + " refused: the file exists");
        }
        final Path directory = target.getParent();
        if (!Files.isDirectory(directory)) {
            throw new IOException("backup " + target + " refused: its directory does not exist");
        }
        final Path temporary = directory.resolve(target.getFileName() + ".tmp-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            final GroupBackup backup;
            try (FileChannel channel =
                    FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                backup = copy(channel, target);
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory(directory);
            return backup;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw new IOException("backup " + target + " of group " + group + " failed: " + e.getMessage(), e);
        }
    }

    private GroupBackup copy(FileChannel channel, Path target) throws IOException {
        final var checksum = new CRC32C();
        final var buffered = new BufferedOutputStream(Channels.newOutputStream(channel), BackupFormat.CHUNK_BYTES);
        final var out = new DataOutputStream(new CheckedOutputStream(buffered, checksum));
        try (Snapshot snapshot = snapshots
                .latest(group)
                .orElseThrow(() -> new IOException(
                        "group " + group + " has no snapshot to back up: it has applied nothing yet"))) {
            final SnapshotMetadata metadata = snapshot.metadata();
            // read once: the entries copied are exactly those up to it
            final long last = Math.max(metadata.lastIndex(), committed.getAsLong());
            final Tail tail;
            // the reader holds the entries after the snapshot while its content is copied, compacted or not
            try (EntryReader reader = last > metadata.lastIndex() ? openTail(metadata.lastIndex() + 1) : null) {
                writeSnapshot(snapshot, out);
                tail = writeEntries(reader, last, new Tail(metadata.lastTerm(), metadata.membership()), out);
            }
            out.writeLong(last);
            out.writeLong(tail.term());
            tail.membership().writeTo(out);
            out.flush();
            final long crc = checksum.getValue();
            buffered.write(new byte[] {(byte) (crc >>> 24), (byte) (crc >>> 16), (byte) (crc >>> 8), (byte) crc});
            buffered.flush();
            return new GroupBackup(
                    target, group, metadata.lastIndex(), last, tail.term(), tail.membership(), channel.position());
        }
    }

    /** The term and membership at the last entry written so far. */
    private record Tail(long term, Membership membership) {}

    private void writeSnapshot(Snapshot snapshot, DataOutputStream out) throws IOException {
        final SnapshotMetadata metadata = snapshot.metadata();
        out.write(BackupFormat.MAGIC);
        out.writeShort(BackupFormat.VERSION);
        out.writeUTF(group);
        out.writeUTF(memberId);
        out.writeLong(System.currentTimeMillis());
        out.writeLong(metadata.lastIndex());
        out.writeLong(metadata.lastTerm());
        out.writeInt(metadata.formatVersion());
        metadata.membership().writeTo(out);
        out.writeLong(snapshot.contentLength());
        copyContent(snapshot, out);
    }

    /** Writes the batches of records from {@code reader} (none if {@code null}) up to {@code last}, and the end. */
    private Tail writeEntries(EntryReader reader, long last, Tail start, DataOutputStream out) throws IOException {
        Tail tail = start;
        while (reader != null && reader.nextIndex() <= last) {
            try (RawRecords records = reader.readRaw(
                    (int) Math.min(RECORDS_PER_READ, last - reader.nextIndex() + 1), BackupFormat.CHUNK_BYTES)) {
                if (records == null) {
                    throw new IOException("journal " + journal.name() + " ends at " + (reader.nextIndex() - 1)
                            + ", before the committed entry " + last);
                }
                tail = new Tail(records.lastTerm(), copyRecords(records.buffer(), out, tail.membership()));
            }
        }
        out.writeInt(0);
        return tail;
    }

    /**
     * Opens a reader at {@code first}, the entry after the snapshot. A newer snapshot's compaction may have removed
     * that entry since the snapshot was found: the backup then fails, and asked again finds the newer snapshot.
     */
    private EntryReader openTail(long first) throws IOException {
        final EntryReader reader = journal.openReader(first);
        if (journal.firstIndex() > first) {
            reader.close();
            throw new IOException("journal " + journal.name() + " was compacted past entry " + first
                    + " while the backup started: try again");
        }
        return reader;
    }

    private void copyContent(Snapshot snapshot, OutputStream out) throws IOException {
        long left = snapshot.contentLength();
        try (InputStream in = snapshot.openStream()) {
            while (left > 0) {
                final int read = in.read(chunk, 0, (int) Math.min(chunk.length, left));
                if (read < 0) {
                    throw new IOException(
                            snapshot.descriptor() + " ended " + left + " bytes before its content" + " length");
                }
                out.write(chunk, 0, read);
                left -= read;
            }
        }
    }

    /** Writes one batch of records and returns the membership after them. */
    private Membership copyRecords(ByteBuffer records, DataOutputStream out, Membership membership) throws IOException {
        final ByteBuffer view = records.duplicate();
        out.writeInt(view.remaining());
        Membership latest = membership;
        for (int offset = view.position(); offset < view.limit(); ) {
            final int length = RecordDescriptor.length(view, offset);
            final Membership changed = EntryEnvelope.membershipIn(
                    RecordDescriptor.index(view, offset),
                    payload.wrap(view, offset + RecordDescriptor.HEADER_LENGTH, offset + length));
            if (changed != null) {
                latest = changed;
            }
            offset += length;
        }
        while (view.hasRemaining()) {
            final int count = Math.min(chunk.length, view.remaining());
            view.get(chunk, 0, count);
            out.write(chunk, 0, count);
        }
        return latest;
    }

    private static void forceDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
