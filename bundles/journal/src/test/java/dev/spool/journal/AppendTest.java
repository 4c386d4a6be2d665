package dev.spool.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.codec.EntrySink;
import dev.spool.api.codec.EntrySource;
import dev.spool.api.codec.PayloadCodec;
import dev.spool.api.group.Durability;
import dev.spool.api.spi.journal.EntryReader;
import dev.spool.api.spi.journal.EntryTooLargeException;
import dev.spool.api.spi.journal.Journal;
import dev.spool.api.spi.journal.JournalSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Behaviour 2: streaming appends, rolling, and refusal of entries that are too large. */
class AppendTest {
    @TempDir
    Path base;

    final TestJournals env = new TestJournals();

    @ParameterizedTest(name = "size known up front: {0}")
    @ValueSource(booleans = {true, false})
    @DisplayName("an entry that does not fit rolls the segment, and the old segment's tail stays zero")
    void entryThatDoesNotFitRolls(boolean sized) throws Exception {
        PayloadCodec<byte[]> codec = sized ? Payloads.SIZED : Payloads.UNSIZED;
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            Journal journal = service.open("j");
            int count = 0;
            while (TestJournals.segmentFiles(base.resolve("j")).size() < 3) {
                count++;
                journal.writer().append(1, codec, Payloads.payload(count, 5000 + count * 7));
            }
            try (EntryReader reader = journal.openReader(1)) {
                for (int i = 1; i <= count; i++) {
                    assertArrayEquals(Payloads.payload(i, 5000 + i * 7), reader.read(Payloads.SIZED), "entry " + i);
                }
            }
            journal.close();
            List<Path> files = TestJournals.segmentFiles(base.resolve("j"));
            Path first = files.get(0);
            List<Integer> offsets = TestJournals.recordOffsets(first);
            int end = offsets.get(offsets.size() - 1);
            byte[] tail = TestJournals.readBytes(first, end, (64 << 10) - end);
            assertTrue(TestJournals.allZero(tail), "no partial bytes left behind the last record of " + first);
        }
    }

    @ParameterizedTest(name = "size known up front: {0}")
    @ValueSource(booleans = {true, false})
    @DisplayName("an entry over the maximum is refused and leaves the journal unchanged, bytes included")
    void tooLargeEntryIsRefused(boolean sized) throws Exception {
        PayloadCodec<byte[]> codec = sized ? Payloads.SIZED : Payloads.UNSIZED;
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            Journal journal = service.open("j");
            journal.writer().append(1, codec, Payloads.text("kept"));
            EntryTooLargeException e = assertThrows(
                    EntryTooLargeException.class, () -> journal.writer().append(1, codec, new byte[(16 << 10) + 1]));
            assertEquals(16 << 10, e.maxEntrySize());
            assertEquals(1, journal.lastIndex());
            assertEquals(2, journal.writer().nextIndex());
            Path file = TestJournals.segmentFiles(base.resolve("j")).get(0);
            assertTrue(TestJournals.allZero(TestJournals.readBytes(file, 64 + 32, 20 << 10)), "partial bytes zeroed");
            assertEquals(2, journal.writer().append(1, codec, Payloads.text("next")));
            try (EntryReader reader = journal.openReader(1)) {
                assertEquals("kept", Payloads.text(reader.read(Payloads.SIZED)));
                assertEquals("next", Payloads.text(reader.read(Payloads.SIZED)));
            }
        }
    }

    @Test
    @DisplayName("a codec failing part way leaves the journal unchanged")
    void failingCodecLeavesNoTrace() throws Exception {
        PayloadCodec<byte[]> failing = new PayloadCodec<>() {
            @Override
            public void encode(byte[] payload, EntrySink sink) throws IOException {
                sink.write(payload);
                throw new IOException("codec failure");
            }

            @Override
            public byte[] decode(EntrySource source) {
                throw new UnsupportedOperationException();
            }
        };
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            Journal journal = service.open("j");
            assertThrows(IOException.class, () -> journal.writer().append(1, failing, Payloads.payload(1, 100)));
            assertEquals(0, journal.lastIndex());
            assertEquals(1, journal.writer().append(1, Payloads.SIZED, Payloads.text("ok")));
            journal.close();
            Journal reopened = service.open("j");
            assertEquals(1, reopened.lastIndex());
        }
    }

    @Test
    @DisplayName("a maximum entry size leaving no room for headers in a segment is refused at open")
    void entryLimitWithoutRoomForFramingIsRefused() throws Exception {
        JournalSpec tooTight = new JournalSpec(Durability.SYNC, 64 << 10, (64 << 10) - 64);
        try (MappedJournalService service = env.service(base, tooTight)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> service.open("j"));
            assertTrue(e.getMessage().contains("at most " + ((64 << 10) - 92)), e.getMessage());
            // The largest entry that fits is accepted and actually stored.
            JournalSpec exact = new JournalSpec(Durability.SYNC, 64 << 10, (64 << 10) - 92);
            Journal journal = service.open("j", exact);
            journal.writer().append(1, Payloads.SIZED, Payloads.text("small"));
            assertEquals(2, journal.writer().append(1, Payloads.UNSIZED, Payloads.payload(2, (64 << 10) - 92)));
            try (EntryReader reader = journal.openReader(2)) {
                assertArrayEquals(Payloads.payload(2, (64 << 10) - 92), reader.read(Payloads.SIZED));
            }
        }
    }
}
