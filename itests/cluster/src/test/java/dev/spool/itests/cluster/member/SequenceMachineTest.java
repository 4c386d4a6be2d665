package dev.spool.itests.cluster.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SequenceMachineTest {

    private static final int BALLAST = 100_000;

    @Test
    @DisplayName("a restored snapshot gives the same count, checksum, last index and ranges, and applying goes on alike")
    void snapshotRoundTripsState() throws IOException {
        final SequenceMachine original = applied(new SequenceMachine(BALLAST), 1, 10, 20, 21, 22, 40);
        final SequenceMachine restored = new SequenceMachine(0);
        restored.restore(new ByteArrayInputStream(snapshot(original)), original.snapshotFormatVersion());

        assertEquals(original.state(), restored.state());
        assertEquals(ranges(original), ranges(restored));
        applied(original, 41);
        applied(restored, 41);
        assertEquals(original.state(), restored.state(), "the checksum goes on from the restored one");
    }

    @Test
    @DisplayName("a snapshot carries its ballast, and a wrong ballast byte fails the restore naming its offset")
    void ballastIsChecked() throws IOException {
        final byte[] bytes = snapshot(applied(new SequenceMachine(BALLAST), 1, 2, 3));
        assertTrue(bytes.length > BALLAST, "the snapshot has " + bytes.length + " bytes");
        final int offset = 12_345;
        bytes[bytes.length - BALLAST + offset] ^= 1;

        final IOException refused = assertThrows(IOException.class, () -> new SequenceMachine(0)
            .restore(new ByteArrayInputStream(bytes), 1));
        assertTrue(refused.getMessage().contains("ballast byte " + offset + " "), refused.getMessage());
    }

    @Test
    @DisplayName("a snapshot cut short fails the restore")
    void truncatedSnapshotIsRefused() throws IOException {
        final byte[] bytes = snapshot(applied(new SequenceMachine(BALLAST), 1, 2, 3));
        final byte[] cut = Arrays.copyOf(bytes, bytes.length - 1);
        assertThrows(IOException.class, () -> new SequenceMachine(0).restore(new ByteArrayInputStream(cut), 1));
    }

    private static SequenceMachine applied(SequenceMachine machine, long... sequences) {
        long index = machine.state().lastIndex();
        for (long sequence : sequences) {
            machine.apply(++index, new Sequenced(sequence, 64));
        }
        return machine;
    }

    private static byte[] snapshot(SequenceMachine machine) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        machine.writeSnapshot(out);
        return out.toByteArray();
    }

    private static String ranges(SequenceMachine machine) {
        final StringBuilder out = new StringBuilder();
        machine.appendAppliedRanges(out);
        return out.toString();
    }
}
