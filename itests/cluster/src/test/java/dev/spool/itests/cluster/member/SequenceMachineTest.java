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
    @DisplayName(
            "a restored snapshot gives the same count, checksum, last index and ranges, and applying goes on alike")
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

        final IOException refused = assertThrows(
                IOException.class, () -> new SequenceMachine(0).restore(new ByteArrayInputStream(bytes), 2));
        assertTrue(refused.getMessage().contains("ballast byte " + offset + " "), refused.getMessage());
    }

    @Test
    @DisplayName("a snapshot cut short fails the restore")
    void truncatedSnapshotIsRefused() throws IOException {
        final byte[] bytes = snapshot(applied(new SequenceMachine(BALLAST), 1, 2, 3));
        final byte[] cut = Arrays.copyOf(bytes, bytes.length - 1);
        assertThrows(IOException.class, () -> new SequenceMachine(0).restore(new ByteArrayInputStream(cut), 2));
    }

    @Test
    @DisplayName(
            "a register takes a write, a compare-and-set only when it holds the expected value, and a snapshot keeps it")
    void registersCompareAndSetAndSurviveSnapshots() throws IOException {
        final SequenceMachine machine = new SequenceMachine(0);
        assertEquals(0, machine.register(7), "a register never written holds 0");
        assertEquals(Boolean.TRUE, machine.apply(1, new Sequenced(0, 20).register(100, 20, 7, false, 0)));
        assertEquals(Boolean.FALSE, machine.apply(2, new Sequenced(0, 20).register(101, 20, 7, true, 99)));
        assertEquals(100, machine.register(7), "a compare-and-set that expected another value wrote nothing");
        assertEquals(Boolean.TRUE, machine.apply(3, new Sequenced(0, 20).register(102, 20, 7, true, 100)));
        assertEquals(102, machine.register(7));
        assertEquals(null, machine.apply(4, new Sequenced(103, 64)), "a plain entry has no result");

        final SequenceMachine restored = new SequenceMachine(0);
        restored.restore(new ByteArrayInputStream(snapshot(machine)), machine.snapshotFormatVersion());
        assertEquals(102, restored.register(7));
        assertEquals(machine.state(), restored.state());
        assertEquals("100-103\n", ranges(restored), "register commands count as applied sequence numbers");
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
