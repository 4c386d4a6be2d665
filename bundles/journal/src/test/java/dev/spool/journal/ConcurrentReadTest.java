package dev.spool.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spool.api.spi.journal.EntryReader;
import dev.spool.api.spi.journal.Journal;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour 5: readers run concurrently with the writer, see only whole entries, and seek directly. */
class ConcurrentReadTest {
    private static final int ENTRIES = 30_000;

    @TempDir
    Path base;

    final TestJournals env = new TestJournals();

    private static int length(long index) {
        return 50 + (int) (index * 37 % 900);
    }

    @Test
    @DisplayName("a reader tailing the writer sees every entry whole and in order, across rolls")
    void readerTailsWriter() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            Journal journal = service.open("j");
            CompletableFuture<Long> tail = CompletableFuture.supplyAsync(() -> {
                try (EntryReader reader = journal.openReader(1)) {
                    long read = 0;
                    while (read < ENTRIES) {
                        byte[] payload = reader.read(Payloads.SIZED);
                        if (payload == null) {
                            Thread.onSpinWait();
                            continue;
                        }
                        read++;
                        assertArrayEquals(Payloads.payload(read, length(read)), payload, "entry " + read);
                    }
                    return read;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            for (long i = 1; i <= ENTRIES; i++) {
                journal.writer()
                        .append(
                                i / 1000,
                                i % 3 == 0 ? Payloads.UNSIZED : Payloads.SIZED,
                                Payloads.payload(i, length(i)));
            }
            assertEquals(ENTRIES, tail.get(2, TimeUnit.MINUTES));
        }
    }

    @Test
    @DisplayName("seek goes straight to any index; termAt answers for any present index")
    void seekAndTermAt() throws Exception {
        try (MappedJournalService service = env.service(base, TestJournals.SMALL_NONE)) {
            Journal journal = service.open("j");
            for (long i = 1; i <= 5000; i++) {
                journal.writer().append(i / 100, Payloads.SIZED, Payloads.payload(i, length(i)));
            }
            journal.close();
            Journal reopened = service.open("j");
            SplittableRandom random = new SplittableRandom(7);
            try (EntryReader reader = reopened.openReader(1)) {
                for (int n = 0; n < 2000; n++) {
                    long index = 1 + random.nextInt(5000);
                    reader.seek(index);
                    assertArrayEquals(Payloads.payload(index, length(index)), reader.read(Payloads.SIZED));
                    assertEquals(index / 100, reopened.termAt(index));
                }
                assertThrows(IndexOutOfBoundsException.class, () -> reader.seek(5002));
                reader.seek(5001);
                assertEquals(null, reader.read(Payloads.SIZED));
            }
            assertThrows(IndexOutOfBoundsException.class, () -> reopened.termAt(0));
            assertThrows(IndexOutOfBoundsException.class, () -> reopened.termAt(5001));
        }
    }
}
