package dev.spool.benchmarks.journal;

import dev.spool.api.codec.EntrySink;
import dev.spool.api.codec.EntrySource;
import dev.spool.api.codec.PayloadCodec;
import dev.spool.api.group.Durability;
import dev.spool.api.spi.journal.EntryReader;
import dev.spool.api.spi.journal.EntryVisitor;
import dev.spool.api.spi.journal.EntryWriter;
import dev.spool.api.spi.journal.Journal;
import dev.spool.api.spi.journal.JournalSpec;
import dev.spool.journal.MappedJournalService;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Spool's journal, through its api: a {@link PayloadCodec} that streams the payload buffer into the
 * {@link EntrySink} (the mapped segment), and a reused {@link EntryVisitor} that copies each payload out of its
 * {@link EntrySource}. The journal verifies every record's CRC32C before the visitor sees it.
 */
final class SpoolJournal implements JournalUnderTest {

    private static final long TERM = 1;
    /** Far below what the disk holds: the benchmarks keep a few segments at most. */
    private static final long FREE_SPACE_FLOOR_BYTES = 1L << 30;

    private final MappedJournalService service;
    private final Journal journal;
    private final EntryWriter writer;

    SpoolJournal(Path directory, Durability durability) throws IOException {
        var spec = new JournalSpec(durability, JournalShape.SEGMENT_SIZE, JournalShape.MAX_ENTRY_SIZE);
        service = new MappedJournalService(directory, spec, FREE_SPACE_FLOOR_BYTES);
        journal = service.open("bench");
        writer = journal.writer();
    }

    @Override
    public long append(ByteBuffer payload) throws IOException {
        return writer.append(TERM, PayloadBytes.CODEC, payload);
    }

    @Override
    public void flush() throws IOException {
        writer.flush();
    }

    @Override
    public void discardBefore(long index) throws IOException {
        journal.compactBefore(index);
    }

    @Override
    public SequentialReader openReader(ByteBuffer into) throws IOException {
        EntryReader reader = journal.openReader(journal.firstIndex());
        EntryVisitor copyPayload = (index, term, payload) -> payload.readFully(into.clear());
        return () -> {
            if (!reader.read(copyPayload)) {
                reader.seek(journal.firstIndex());
                reader.read(copyPayload);
            }
            return into.getLong(0);
        };
    }

    @Override
    public void close() throws IOException {
        try (service) {
            journal.close();
        }
    }

    /** Payloads that already are bytes in a buffer: written in one bulk copy, size known up front. */
    private static final class PayloadBytes implements PayloadCodec<ByteBuffer> {
        static final PayloadBytes CODEC = new PayloadBytes();

        @Override
        public void encode(ByteBuffer payload, EntrySink sink) throws IOException {
            sink.write(payload.rewind());
        }

        @Override
        public ByteBuffer decode(EntrySource source) throws IOException {
            ByteBuffer payload = ByteBuffer.allocate(source.remaining());
            source.readFully(payload);
            return payload.flip();
        }

        @Override
        public int encodedSize(ByteBuffer payload) {
            return payload.limit();
        }
    }
}
