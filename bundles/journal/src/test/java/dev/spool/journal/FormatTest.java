package dev.spool.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.spi.journal.CorruptJournalException;
import dev.spool.api.spi.journal.EntryReader;
import dev.spool.api.spi.journal.Journal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour 1: the on-disk format, and checksums verified on every read. */
class FormatTest {
    @TempDir
    Path base;

    final TestJournals env = new TestJournals();

    @Test
    @DisplayName("segment header and records lie on disk exactly as docs/journal-format.md describes")
    void layoutOnDisk() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            Journal journal = service.open("j");
            journal.writer().append(3, Payloads.SIZED, Payloads.text("hello"));
            journal.writer().appendDurable(4, Payloads.SIZED, Payloads.text("members"));
            Path file = TestJournals.segmentFiles(base.resolve("j")).get(0);
            ByteBuffer header = ByteBuffer.wrap(TestJournals.readBytes(file, 0, 64));
            assertEquals(0x53504A4C, header.getInt(0), "magic");
            assertEquals(1, header.getShort(4), "format version");
            assertEquals(64, header.getShort(6), "header size");
            assertEquals(1, header.getLong(16), "first index");
            assertEquals(64 << 10, header.getInt(24), "segment size");
            CRC32C crc = new CRC32C();
            crc.update(header.array(), 0, 60);
            assertEquals((int) crc.getValue(), header.getInt(60), "header checksum");

            ByteBuffer first = ByteBuffer.wrap(TestJournals.readBytes(file, 64, 33));
            assertRecord(first, 1, 3, 0, "hello");
            ByteBuffer second = ByteBuffer.wrap(TestJournals.readBytes(file, 64 + 33, 35));
            assertRecord(second, 2, 4, 1, "members");
        }
    }

    private static void assertRecord(ByteBuffer record, long index, long term, int flags, String payload) {
        assertEquals(28 + payload.length(), record.getInt(4), "length");
        assertEquals(index, record.getLong(8), "index");
        assertEquals(term, record.getLong(16), "term");
        assertEquals(flags, record.getInt(24), "flags (bit 0: always durable)");
        assertEquals(payload, new String(record.array(), 28, payload.length()));
        CRC32C crc = new CRC32C();
        crc.update(record.array(), 4, record.capacity() - 4);
        assertEquals((int) crc.getValue(), record.getInt(0), "record checksum covers length to payload end");
    }

    @Test
    @DisplayName("a read verifies the record checksum and names file and offset of a corrupt record")
    void readVerifiesChecksum() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            Journal journal = service.open("j");
            journal.writer().append(1, Payloads.SIZED, Payloads.text("first"));
            journal.writer().append(1, Payloads.SIZED, Payloads.text("second"));
            Path file = TestJournals.segmentFiles(base.resolve("j")).get(0);
            TestJournals.flipByte(file, 64 + 33 + 28 + 2); // a payload byte of entry 2
            try (EntryReader reader = journal.openReader(1)) {
                assertEquals("first", Payloads.text(reader.read(Payloads.SIZED)));
                CorruptJournalException e =
                        assertThrows(CorruptJournalException.class, () -> reader.read(Payloads.SIZED));
                assertEquals(file, e.file());
                assertEquals(64 + 33, e.offset());
                assertTrue(e.getMessage().contains("checksum"), e.getMessage());
                assertEquals(2, reader.nextIndex(), "the corrupt entry is never skipped");
            }
        }
    }
}
