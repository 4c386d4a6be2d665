package dev.spool.api.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MembershipTest {
    private static final Membership THREE = Membership.of(
            Member.voter("a", "127.0.0.1:7001"),
            Member.voter("b", "127.0.0.1:7002"),
            Member.learner("c", "127.0.0.1:7003"));

    /** The binary form reads back to an equal membership, order and voting status included. */
    @Test
    void binaryFormRoundTrips() throws IOException {
        assertEquals(THREE, Membership.readFrom(input(bytes(THREE))));
    }

    /** Quorum counts voting members only: two voters need both, learners never count. */
    @Test
    void quorumCountsVotersOnly() {
        assertEquals(2, THREE.quorum());
        assertEquals(2, THREE.with(Member.voter("d", "")).quorum());
        assertEquals(
                3, THREE.with(Member.voter("d", "")).with(Member.voter("e", "")).quorum());
        assertEquals(List.of("a", "b"), THREE.voters().stream().map(Member::id).toList());
    }

    /** with() replaces a member in place and appends a new one; without() removes it. */
    @Test
    void withAndWithoutChangeOneMember() {
        final Membership promoted = THREE.with(Member.voter("c", "127.0.0.1:7003"));
        assertTrue(promoted.isVoter("c"));
        assertEquals("c", promoted.members().get(2).id());
        final Membership removed = THREE.without("b");
        assertFalse(removed.contains("b"));
        assertEquals(2, removed.members().size());
    }

    /** Invalid memberships are refused naming the problem: repeated ids, no voter, bad ids. */
    @Test
    void invalidMembershipsAreRefused() {
        final var repeated = assertThrows(
                IllegalArgumentException.class, () -> Membership.of(Member.voter("a", ""), Member.learner("a", "")));
        assertTrue(repeated.getMessage().contains("a appears twice"), repeated.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Membership.of(Member.learner("a", "")));
        assertThrows(IllegalArgumentException.class, () -> THREE.without("a").without("b"));
        assertThrows(IllegalArgumentException.class, () -> Member.voter("has space", ""));
        assertThrows(IllegalArgumentException.class, () -> Member.voter("", ""));
    }

    /** Hostile bytes are refused with a clear error, never turned into a membership. */
    @Test
    void hostileBytesAreRefused() throws IOException {
        final byte[] good = bytes(THREE);

        final byte[] badVersion = good.clone();
        badVersion[0] = 9;
        final var version = assertThrows(InvalidObjectException.class, () -> Membership.readFrom(input(badVersion)));
        assertTrue(version.getMessage().contains("version 9"), version.getMessage());

        final byte[] hugeCount = good.clone();
        hugeCount[1] = (byte) 0xFF;
        hugeCount[2] = (byte) 0xFF;
        assertThrows(InvalidObjectException.class, () -> Membership.readFrom(input(hugeCount)));

        final byte[] truncated = java.util.Arrays.copyOf(good, good.length - 3);
        assertThrows(EOFException.class, () -> Membership.readFrom(input(truncated)));

        final ByteArrayOutputStream noVoter = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(noVoter)) {
            out.writeByte(1);
            out.writeShort(1);
            out.writeUTF("a");
            out.writeBoolean(false);
            out.writeUTF("");
        }
        final var invalid =
                assertThrows(InvalidObjectException.class, () -> Membership.readFrom(input(noVoter.toByteArray())));
        assertTrue(invalid.getMessage().contains("voting member"), invalid.getMessage());
    }

    private static byte[] bytes(Membership membership) throws IOException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            membership.writeTo(out);
        }
        return bytes.toByteArray();
    }

    private static DataInputStream input(byte[] bytes) {
        return new DataInputStream(new ByteArrayInputStream(bytes));
    }
}
