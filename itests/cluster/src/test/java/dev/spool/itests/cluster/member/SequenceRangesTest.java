package dev.spool.itests.cluster.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SequenceRangesTest {

    @Test
    @DisplayName("added numbers merge into disjoint sorted ranges, in any order, duplicates ignored")
    void mergesRanges() {
        final SequenceRanges ranges = new SequenceRanges();
        for (long n : new long[] {5, 7, 6, 1, 2, 2, 10, 40, 9, 3, 20, 30}) {
            ranges.add(n);
        }
        assertEquals("1-3\n5-7\n9-10\n20-20\n30-30\n40-40\n", text(ranges));
        ranges.add(4);
        ranges.add(8);
        assertEquals("1-10\n20-20\n30-30\n40-40\n", text(ranges));
        for (long n = 100; n < 200; n += 2) {
            ranges.add(n);
        }
        assertEquals(54, text(ranges).lines().count(), "a new gap opens a range and grows the arrays");
    }

    @Test
    @DisplayName("the snapshot form reads back the same ranges; an unsorted one is refused")
    void roundTripsAndChecks() throws IOException {
        final SequenceRanges ranges = new SequenceRanges();
        for (long n : new long[] {1, 2, 3, 7, 9}) {
            ranges.add(n);
        }
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ranges.writeTo(new DataOutputStream(bytes));
        final SequenceRanges read = new SequenceRanges();
        read.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(text(ranges), text(read));

        final ByteArrayOutputStream unsorted = new ByteArrayOutputStream();
        final DataOutputStream out = new DataOutputStream(unsorted);
        out.writeInt(2);
        out.writeLong(5);
        out.writeLong(6);
        out.writeLong(1);
        out.writeLong(2);
        assertThrows(
                IOException.class,
                () -> new SequenceRanges()
                        .readFrom(new DataInputStream(new ByteArrayInputStream(unsorted.toByteArray()))));
    }

    private static String text(SequenceRanges ranges) {
        final StringBuilder out = new StringBuilder();
        ranges.appendTo(out);
        return out.toString();
    }
}
