package dev.spool.benchmarks.journal;

import dev.spool.api.group.Durability;
import io.atomix.storage.journal.SegmentedByteBufJournal;
import io.atomix.storage.journal.StorageLevel;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.opendaylight.controller.raft.journal.EntryReader;
import org.opendaylight.controller.raft.journal.EntryWriter;
import org.opendaylight.controller.raft.journal.FromByteBufMapper;
import org.opendaylight.controller.raft.journal.ToByteBufMapper;

/**
 * OpenDaylight's {@code atomix-storage} 9.0.4 at its leanest: the {@code ByteBuf} level ({@link SegmentedByteBufJournal}
 * with {@code MAPPED} storage), below the typed {@code SegmentedJournal} and its serializers, so that the payload
 * bytes are copied straight in and out as in the other implementations. It checks a CRC32 of every entry it reads.
 *
 * <p>Flush points call {@link EntryWriter#flush()}, which under {@code MAPPED} forces the active segment; the journal
 * itself also forces a segment whenever it rolls to the next one, whatever the durability asked for.
 */
final class AtomixStorageJournal implements JournalUnderTest {

    /**
     * The journal hands the mapper a slice over all the space the entry may take in the active segment, its writer
     * index at the end, and takes the readable bytes as the entry; an {@link EOFException} tells it to roll to the next
     * segment (what its own serializers throw when the space runs out).
     */
    private static final ToByteBufMapper<ByteBuffer> PAYLOAD_WRITER = (payload, bytes) -> {
        bytes.clear();
        if (bytes.writableBytes() < payload.limit()) {
            throw new EOFException("the entry does not fit in the space left in the segment");
        }
        bytes.writeBytes(payload.rewind());
    };

    private final SegmentedByteBufJournal journal;
    private final EntryWriter writer;

    AtomixStorageJournal(Path directory, Durability durability) {
        // Durability is applied by the caller's flush points; the journal's own flush-on-commit stays off.
        journal = SegmentedByteBufJournal.builder()
                .withName("bench")
                .withDirectory(directory.toFile())
                .withStorageLevel(StorageLevel.MAPPED)
                .withMaxSegmentSize(JournalShape.SEGMENT_SIZE)
                .withMaxEntrySize(JournalShape.MAX_ENTRY_SIZE)
                .build();
        writer = journal.writer();
    }

    @Override
    public long append(ByteBuffer payload) {
        long index = writer.nextIndex();
        writer.append(PAYLOAD_WRITER, payload);
        return index;
    }

    @Override
    public void flush() {
        writer.flush();
    }

    @Override
    public void discardBefore(long index) {
        journal.compact(index);
    }

    @Override
    public SequentialReader openReader(ByteBuffer into) {
        EntryReader reader = journal.openReader(journal.firstIndex());
        // The mapper returns a non-null marker (the buffer) so that null keeps meaning "no more entries".
        FromByteBufMapper<ByteBuffer> payloadReader = (index, bytes) -> {
            bytes.getBytes(bytes.readerIndex(), into.clear());
            return into;
        };
        return () -> {
            if (reader.tryNext(payloadReader) == null) {
                reader.reset();
                reader.tryNext(payloadReader);
            }
            return into.getLong(0);
        };
    }

    @Override
    public void close() {
        journal.close();
    }
}
