package dev.spool.raft.group;

import dev.spool.api.cluster.Membership;
import dev.spool.api.spi.journal.Journal;
import dev.spool.api.spi.journal.RecordDescriptor;
import dev.spool.api.spi.journal.TermStore;
import dev.spool.api.spi.snapshot.SnapshotMetadata;
import dev.spool.api.spi.snapshot.SnapshotStore;
import dev.spool.api.spi.snapshot.SnapshotWriter;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidObjectException;
import java.io.OutputStream;
import java.io.UTFDataFormatException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;

/**
 * Restores an empty member of a group from a backup file ({@link BackupFormat}): checks the whole file first (its
 * layout, that its entries follow the snapshot one by one with terms that never fall, and its checksum), and only
 * then writes: the snapshot, published with the restoring group's configured members, the entries after it as raw
 * records (their own checksums checked again by the journal), one membership entry of the configured members after
 * them, and last the term of that entry, forced. Every member restoring the same file with the same configuration
 * ends with the same snapshot and the same log, and the configured members, not the backed-up group's, vote.
 *
 * <p>The term is written last because it marks the restore done: a member whose term is still 0 has never spoken to
 * a peer, so a restore cut short by a crash is simply done again at the next start (the snapshot replaced, the journal
 * reset). A file that fails a check is refused naming the file and the first problem, before anything is written.
 * Memory is one 64 KiB buffer and one batch of records (at most the journal's largest record and 64 KiB).
 *
 * <p>Threads: the thread starting the group, before any agent runs.
 */
final class BackupRestore {

    private final Path file;
    private final String group;
    private final int maxBatchBytes;
    private final byte[] chunk = new byte[BackupFormat.CHUNK_BYTES];
    private byte[] batch = new byte[BackupFormat.CHUNK_BYTES];
    /** The part of the file being read, named when it ends early. */
    private String section;

    /** What a sound backup holds. */
    record Contents(long snapshotIndex, long snapshotTerm, long lastIndex, long lastTerm) {}

    /** Where the content read goes: nowhere while checking, to storage while restoring. */
    private interface Target {
        OutputStream snapshot(long index, long term, int formatVersion) throws IOException;

        void snapshotWritten() throws IOException;

        void records(ByteBuffer records) throws IOException;
    }

    private BackupRestore(Path file, String group, Journal journal) {
        this.file = file;
        this.group = group;
        this.maxBatchBytes = (int) Math.min(
                Integer.MAX_VALUE - 64,
                (long) journal.spec().maxEntrySize() + RecordDescriptor.HEADER_LENGTH + BackupFormat.CHUNK_BYTES);
    }

    /**
     * Checks {@code file} whole, then restores the group's storage from it.
     *
     * @param file the backup
     * @param group the group restoring: the backup must be of a group of that name
     * @param members the group's configured members, which the restored group has
     * @param journal the group's journal, reset to continue the backup's snapshot
     * @param terms the group's term store, at term 0; moved to the backup's last term
     * @param snapshots where the backup's snapshot is published
     * @return what was restored
     * @throws IOException naming the file and what is wrong with it, having written nothing if the file is not sound
     */
    static Contents restore(
            Path file, String group, Membership members, Journal journal, TermStore terms, SnapshotStore snapshots)
            throws IOException {
        final var restore = new BackupRestore(file, group, journal);
        final Contents contents = restore.read(new Check());
        final var writing = new Writing(group, members, journal, snapshots);
        try {
            restore.read(writing);
        } finally {
            writing.close();
        }
        Recovery.appendMembership(journal, contents.lastTerm(), members);
        terms.update(contents.lastTerm(), null);
        return contents;
    }

    private Contents read(Target target) throws IOException {
        section = "header";
        try (InputStream stream = Files.newInputStream(file)) {
            final var buffered = new BufferedInputStream(stream, BackupFormat.CHUNK_BYTES);
            final var checksum = new CRC32C();
            final var in = new DataInputStream(new CheckedInputStream(buffered, checksum));
            final byte[] magic = new byte[BackupFormat.MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, BackupFormat.MAGIC)) {
                throw refused("it does not start with SPOOLBAK: not a backup file");
            }
            final int version = in.readUnsignedShort();
            if (version != BackupFormat.VERSION) {
                throw refused("its format version is " + version + ", this member reads " + BackupFormat.VERSION);
            }
            final String backedUp = in.readUTF();
            if (!backedUp.equals(group)) {
                throw refused("it holds group " + backedUp + ", not " + group);
            }
            in.readUTF(); // the member it was taken on
            in.readLong(); // when
            section = "snapshot header";
            final long snapshotIndex = in.readLong();
            final long snapshotTerm = in.readLong();
            final int formatVersion = in.readInt();
            if (snapshotIndex < 1 || snapshotTerm < 1 || formatVersion < 0) {
                throw refused("its snapshot's index " + snapshotIndex + ", term " + snapshotTerm + " or format version "
                        + formatVersion + " is out of range");
            }
            membership(in, "snapshot's");
            final long contentLength = in.readLong();
            if (contentLength < 0) {
                throw refused("its snapshot's content length " + contentLength + " is negative");
            }
            section = "snapshot content";
            copy(in, contentLength, target.snapshot(snapshotIndex, snapshotTerm, formatVersion));
            target.snapshotWritten();
            section = "entries";
            long next = snapshotIndex + 1;
            long term = snapshotTerm;
            for (int length = in.readInt(); length != 0; length = in.readInt()) {
                if (length < RecordDescriptor.HEADER_LENGTH || length > maxBatchBytes) {
                    throw refused("a batch of " + length + " bytes at entry " + next + " is out of range (1 record"
                            + " to " + maxBatchBytes + " bytes for this journal)");
                }
                final ByteBuffer records = read(in, length);
                for (int offset = 0; offset < length; ) {
                    final int record = RecordDescriptor.length(records, offset);
                    final long index = RecordDescriptor.index(records, offset);
                    final long recordTerm = RecordDescriptor.term(records, offset);
                    if (record < RecordDescriptor.HEADER_LENGTH || record > length - offset) {
                        throw refused("entry " + next + " has a record length of " + record + " bytes");
                    }
                    if (index != next || recordTerm < term) {
                        throw refused("the record after entry " + (next - 1) + " (term " + term + ") is entry " + index
                                + " of term " + recordTerm);
                    }
                    term = recordTerm;
                    next++;
                    offset += record;
                }
                target.records(records);
            }
            section = "trailer";
            final long lastIndex = in.readLong();
            final long lastTerm = in.readLong();
            membership(in, "trailer's");
            if (lastIndex != next - 1 || lastTerm != term) {
                throw refused("its trailer names entry " + lastIndex + " of term " + lastTerm
                        + " as the last, but its entries end at " + (next - 1) + " of term " + term);
            }
            final long computed = checksum.getValue();
            section = "checksum";
            final long stored = new DataInputStream(buffered).readInt() & 0xffff_ffffL;
            if (stored != computed) {
                throw refused(String.format(
                        "its checksum is %08x but its bytes sum to %08x: it is damaged", stored, computed));
            }
            if (buffered.read() >= 0) {
                throw refused("it has bytes after its checksum");
            }
            return new Contents(snapshotIndex, snapshotTerm, lastIndex, lastTerm);
        } catch (NoSuchFileException e) {
            throw refused("the file does not exist");
        } catch (EOFException e) {
            throw refused("it is truncated: it ends inside the " + section);
        } catch (UTFDataFormatException e) {
            throw refused("a name in its " + section + " is not valid text");
        }
    }

    private Membership membership(DataInputStream in, String which) throws IOException {
        try {
            return Membership.readFrom(in);
        } catch (InvalidObjectException e) {
            throw refused("its " + which + " membership is invalid: " + e.getMessage());
        }
    }

    private void copy(DataInputStream from, long count, OutputStream to) throws IOException {
        for (long left = count; left > 0; ) {
            final int n = (int) Math.min(chunk.length, left);
            from.readFully(chunk, 0, n);
            to.write(chunk, 0, n);
            left -= n;
        }
    }

    private ByteBuffer read(DataInputStream from, int length) throws IOException {
        if (batch.length < length) {
            batch = new byte[length];
        }
        from.readFully(batch, 0, length);
        return ByteBuffer.wrap(batch, 0, length).slice();
    }

    private IOException refused(String problem) {
        return new IOException(
                "backup " + file + " refused for group " + group + ": " + problem + "; nothing was restored");
    }

    /** Checks only: the content goes nowhere. */
    private static final class Check implements Target {
        @Override
        public OutputStream snapshot(long index, long term, int formatVersion) {
            return OutputStream.nullOutputStream();
        }

        @Override
        public void snapshotWritten() {}

        @Override
        public void records(ByteBuffer records) {}
    }

    /** Publishes the snapshot and appends the entries. */
    private static final class Writing implements Target {
        private final String group;
        private final Membership members;
        private final Journal journal;
        private final SnapshotStore snapshots;
        private SnapshotWriter writer;
        private long snapshotIndex;

        Writing(String group, Membership members, Journal journal, SnapshotStore snapshots) {
            this.group = group;
            this.members = members;
            this.journal = journal;
            this.snapshots = snapshots;
        }

        @Override
        public OutputStream snapshot(long index, long term, int formatVersion) throws IOException {
            snapshotIndex = index;
            writer = snapshots.create(group, new SnapshotMetadata(index, term, members, formatVersion));
            return writer.outputStream();
        }

        @Override
        public void snapshotWritten() throws IOException {
            writer.commit();
            journal.resetTo(snapshotIndex + 1);
        }

        @Override
        public void records(ByteBuffer records) throws IOException {
            journal.writer().appendRaw(records);
        }

        void close() throws IOException {
            if (writer != null) {
                writer.close();
            }
        }
    }
}
