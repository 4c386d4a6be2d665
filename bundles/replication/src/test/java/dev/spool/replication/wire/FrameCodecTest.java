package dev.spool.replication.wire;

import static dev.spool.replication.wire.SampleFrames.GROUP;
import static dev.spool.replication.wire.SampleFrames.RECEIVER;
import static dev.spool.replication.wire.SampleFrames.SENDER;
import static dev.spool.replication.wire.SampleFrames.encode;
import static dev.spool.replication.wire.SampleFrames.message;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.spi.raft.AppendEntries;
import dev.spool.api.spi.raft.ForwardOutcome;
import dev.spool.api.spi.raft.ForwardProposal;
import dev.spool.api.spi.raft.ForwardResult;
import dev.spool.api.spi.raft.Heartbeat;
import dev.spool.api.spi.raft.InstallSnapshot;
import dev.spool.api.spi.raft.MembershipEntry;
import dev.spool.api.spi.raft.ReadIndexRequest;
import dev.spool.api.spi.raft.ReadIndexResponse;
import dev.spool.api.spi.raft.VoteRequest;
import dev.spool.replication.LeakDetection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(LeakDetection.class)
class FrameCodecTest {

    private static final WireLimits LIMITS = WireLimits.DEFAULT;

    static Stream<Arguments> samples() {
        final var arguments = new ArrayList<Arguments>();
        for (Map.Entry<String, List<Frame>> entry : SampleFrames.byTarget().entrySet()) {
            for (int i = 0; i < entry.getValue().size(); i++) {
                arguments.add(
                        Arguments.of(entry.getKey() + "#" + i, entry.getValue().get(i)));
            }
        }
        return arguments.stream();
    }

    private static Frame decode(byte[] frame) throws WireFormatException {
        return new FrameDecoder(LIMITS).decode(Unpooled.wrappedBuffer(frame), SENDER, RECEIVER);
    }

    private static WireFormatException refused(byte[] frame) {
        return assertThrows(WireFormatException.class, () -> decode(frame));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    @DisplayName("every frame type with edge values decodes to an equal frame that re-encodes to the same bytes")
    void roundTrip(String name, Frame frame) throws WireFormatException {
        final byte[] bytes = encode(frame);
        final Frame decoded = decode(bytes);
        assertEquals(frame, decoded);
        assertArrayEquals(bytes, encode(decoded));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    @DisplayName("a frame cut short anywhere (with its length prefix fixed to match) is refused or decodes to less")
    void truncatedAnywhere(String name, Frame frame) {
        final byte[] bytes = encode(frame);
        // Every cut of a large frame costs a decode of up to its size: past 16 KiB, every 97th cut is enough.
        final int step = bytes.length > 16 * 1024 ? 97 : 1;
        for (int cut = 0; cut < bytes.length; cut += step) {
            final ByteBuf shorter = Unpooled.copiedBuffer(bytes, 0, cut);
            if (cut >= 4) {
                shorter.setInt(0, cut - 4);
            }
            try {
                final Frame decoded = new FrameDecoder(LIMITS).decode(shorter, SENDER, RECEIVER);
                // Only the trailing attached bytes may be cut without breaking the format.
                final ByteBuf attachment =
                        assertInstanceOf(GroupMessage.class, decoded).attachment();
                assertTrue(
                        attachment.readableBytes()
                                < ((GroupMessage) frame).attachment().readableBytes(),
                        name);
            } catch (WireFormatException expected) {
                assertTrue(expected.offset() <= cut, expected.getMessage());
            }
        }
    }

    @Test
    @DisplayName("attached records are a view of the received frame, not a copy")
    void recordsAreASliceOfTheFrame() throws WireFormatException {
        final byte[] bytes = encode(SampleFrames.byTarget().get("appendEntries").get(1));
        final ByteBuf received = Unpooled.wrappedBuffer(bytes);
        final ByteBuf records =
                ((GroupMessage) new FrameDecoder(LIMITS).decode(received, SENDER, RECEIVER)).attachment();
        bytes[bytes.length - 1] ^= 0x5A;
        assertEquals(bytes[bytes.length - 1], records.getByte(records.writerIndex() - 1));
        assertEquals(1, received.refCnt(), "the decoder takes no reference of its own");
    }

    @Test
    @DisplayName("a frame whose length prefix exceeds the configured maximum is refused before its bytes are read")
    void oversizedLength() {
        final byte[] frame = encode(message(new Heartbeat(SENDER, RECEIVER, 1, 1, 1)));
        final ByteBuf bytes = Unpooled.wrappedBuffer(frame);
        bytes.setInt(0, LIMITS.maxFrameBytes() - 3);
        final var failure = refused(ByteBufUtil.getBytes(bytes));
        assertEquals("length", failure.field());
        assertEquals(0, failure.offset());
        bytes.setInt(0, -1);
        assertEquals("length", refused(ByteBufUtil.getBytes(bytes)).field());
        bytes.setInt(0, 0);
        assertEquals("length", refused(ByteBufUtil.getBytes(bytes)).field());
    }

    @Test
    @DisplayName("bytes after the last field are refused, naming the offset where they start")
    void trailingBytes() {
        final byte[] frame = encode(message(new Heartbeat(SENDER, RECEIVER, 1, 1, 1)));
        final ByteBuf longer = Unpooled.buffer().writeBytes(frame).writeByte(0);
        longer.setInt(0, frame.length - 3);
        final var failure = refused(ByteBufUtil.getBytes(longer));
        assertEquals("end of frame", failure.field());
        assertEquals(frame.length, failure.offset());
        assertEquals("Heartbeat", failure.frameType());
    }

    @Test
    @DisplayName("an unknown type byte is refused as such")
    void unknownType() {
        final byte[] frame = encode(message(new Heartbeat(SENDER, RECEIVER, 1, 1, 1)));
        frame[4] = 0x7F;
        final var failure = refused(frame);
        assertEquals("type", failure.field());
        assertEquals(4, failure.offset());
        assertEquals("unknown", failure.frameType());
    }

    @Test
    @DisplayName("strings that are not strict UTF-8 are refused: malformed, overlong, encoded surrogates")
    void badUtf8() {
        for (byte[] bad : List.of(
                new byte[] {(byte) 0xFF},
                new byte[] {(byte) 0xC0, (byte) 0xAF},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                new byte[] {(byte) 0xE2, (byte) 0x82})) {
            final ByteBuf frame = Unpooled.buffer()
                    .writeInt(0)
                    .writeByte(FrameType.TIMEOUT_NOW.code())
                    .writeShort(bad.length)
                    .writeBytes(bad)
                    .writeLong(1);
            frame.setInt(0, frame.readableBytes() - 4);
            final var failure = refused(ByteBufUtil.getBytes(frame));
            assertEquals("group", failure.field());
            assertEquals(5, failure.offset());
        }
    }

    @Test
    @DisplayName("a string longer than its limit is refused from its byte count, before it is decoded")
    void overlongString() {
        final ByteBuf frame = Unpooled.buffer()
                .writeInt(0)
                .writeByte(FrameType.TIMEOUT_NOW.code())
                .writeShort(3 * WireLimits.MAX_GROUP_ID_LENGTH + 1)
                .writeZero(3 * WireLimits.MAX_GROUP_ID_LENGTH + 1)
                .writeLong(1);
        frame.setInt(0, frame.readableBytes() - 4);
        assertTrue(refused(ByteBufUtil.getBytes(frame)).getMessage().contains("exceed the limit"));
    }

    @Test
    @DisplayName("a group id with white space or a control character is refused")
    void badGroupId() {
        for (String group : List.of("a b", "a\u0000b", "")) {
            final ByteBuf frame = Unpooled.buffer().writeInt(0).writeByte(FrameType.TIMEOUT_NOW.code());
            frame.writeShort(ByteBufUtil.utf8Bytes(group));
            ByteBufUtil.writeUtf8(frame, group);
            frame.writeLong(1).setInt(0, frame.readableBytes() - 4);
            assertEquals("group", refused(ByteBufUtil.getBytes(frame)).field());
        }
    }

    @Test
    @DisplayName("a negative term or index is refused, naming the field")
    void negativeValues() {
        final byte[] frame = encode(message(new Heartbeat(SENDER, RECEIVER, 1, 1, 1)));
        final int termAt = 5 + 2 + GROUP.length();
        Unpooled.wrappedBuffer(frame).setLong(termAt + 8, -1);
        final var failure = refused(frame);
        assertEquals("commit index", failure.field());
        assertEquals(termAt + 8, failure.offset());
    }

    @Test
    @DisplayName("unknown flag bits are refused (they would not survive a re-encoding)")
    void unknownFlags() {
        final byte[] frame = encode(message(new VoteRequest(SENDER, RECEIVER, 1, 1, 1, false, false)));
        frame[frame.length - 1] = 0x4;
        assertEquals("flags", refused(frame).field());
    }

    @Test
    @DisplayName("an AppendEntries range that ends before it starts is refused")
    void invertedRange() {
        final byte[] frame = encode(message(new AppendEntries(SENDER, RECEIVER, 1, 5, 1, 5, 0, 0, List.of())));
        final int lastIndexAt = 5 + 2 + GROUP.length() + 24;
        Unpooled.wrappedBuffer(frame).setLong(lastIndexAt, 4);
        final var failure = refused(frame);
        assertEquals("last index", failure.field());
        assertEquals(lastIndexAt, failure.offset());
    }

    @Test
    @DisplayName(
            "a membership entry outside the range is the record's IllegalArgumentException, as a WireFormatException")
    void membershipEntryOutsideRange() {
        final var message = new AppendEntries(
                SENDER, RECEIVER, 1, 5, 1, 7, 1, 0, List.of(new MembershipEntry(6, SampleFrames.membership(1))));
        final ByteBuf frame = Unpooled.wrappedBuffer(encode(new GroupMessage(GROUP, message, SampleFrames.records(2))));
        final int indexAt = 5 + 2 + GROUP.length() + 48 + 2;
        frame.setLong(indexAt, 8);
        final var failure = refused(ByteBufUtil.getBytes(frame));
        assertEquals("membership entries", failure.field());
        assertInstanceOf(IllegalArgumentException.class, failure.getCause());
    }

    @Test
    @DisplayName("more membership entries than the range has entries are refused before any is read")
    void membershipCountAboveEntryCount() {
        final var message = new AppendEntries(SENDER, RECEIVER, 1, 5, 1, 6, 1, 0, List.of());
        final ByteBuf frame = Unpooled.wrappedBuffer(encode(new GroupMessage(GROUP, message, SampleFrames.records(1))));
        frame.setShort(5 + 2 + GROUP.length() + 48, 0xFFFF);
        assertEquals(
                "membership entry count", refused(ByteBufUtil.getBytes(frame)).field());
    }

    @Test
    @DisplayName("a member count above Membership.MAX_MEMBERS is refused before any member is read")
    void memberCountAboveMaximum() {
        final var message = new InstallSnapshot(SENDER, RECEIVER, 1, 1, 1, SampleFrames.membership(1), 0, 0, true);
        final ByteBuf frame = Unpooled.wrappedBuffer(encode(message(message)));
        final int countAt = 5 + 2 + GROUP.length() + 33;
        frame.setShort(countAt, Membership.MAX_MEMBERS + 1);
        final var failure = refused(ByteBufUtil.getBytes(frame));
        assertEquals("member count", failure.field());
        assertEquals(countAt, failure.offset());
    }

    @Test
    @DisplayName("a membership that breaks its invariants (repeated id, no voter) is refused as a WireFormatException")
    void invalidMembership() {
        final var twice = new Membership(List.of(Member.voter("a", ""), Member.voter("b", "")));
        final var message = new InstallSnapshot(SENDER, RECEIVER, 1, 1, 1, twice, 0, 0, true);
        final byte[] frame = encode(message(message));
        // Rename member "b" to "a".
        final int secondIdAt = 5 + 2 + GROUP.length() + 33 + 2 + (2 + 1 + 1 + 2) + 2;
        frame[secondIdAt] = 'a';
        final var repeated = refused(frame);
        assertEquals("member count", repeated.field());
        assertInstanceOf(IllegalArgumentException.class, repeated.getCause());
        // Clear both voting flags.
        final byte[] noVoter = encode(message(message));
        noVoter[secondIdAt - 2 - 6 + 2 + 1] = 0;
        noVoter[secondIdAt + 1] = 0;
        assertTrue(refused(noVoter).getMessage().contains("voting member"));
    }

    @Test
    @DisplayName("an AppendEntries whose record bytes cannot hold its entries is refused")
    void recordBytesTooFewForTheRange() {
        final var message = new AppendEntries(SENDER, RECEIVER, 1, 0, 0, 3, 1, 0, List.of());
        final var failure = refused(encode(new GroupMessage(GROUP, message, Unpooled.wrappedBuffer(new byte[83]))));
        assertEquals("records", failure.field());
        final var probeWithBytes = new AppendEntries(SENDER, RECEIVER, 1, 3, 1, 3, 0, 0, List.of());
        final ByteBuf frame =
                Unpooled.buffer().writeBytes(encode(message(probeWithBytes))).writeZero(28);
        frame.setInt(0, frame.readableBytes() - 4);
        assertEquals("records", refused(ByteBufUtil.getBytes(frame)).field());
    }

    @Test
    @DisplayName("an InstallSnapshot chunk that would end beyond the largest offset is refused")
    void snapshotOffsetOverflow() {
        final var message = new InstallSnapshot(SENDER, RECEIVER, 1, 1, 1, SampleFrames.membership(1), 0, 10, true);
        final ByteBuf frame =
                Unpooled.wrappedBuffer(encode(new GroupMessage(GROUP, message, Unpooled.wrappedBuffer(new byte[10]))));
        frame.setLong(5 + 2 + GROUP.length() + 24, Long.MAX_VALUE - 5);
        assertEquals("offset", refused(ByteBufUtil.getBytes(frame)).field());
    }

    @Test
    @DisplayName("handshake: a wrong magic, an inverted version range and version 0 are refused")
    void badHandshakeFields() {
        final byte[] hello = encode(new Handshake("c", "a", "b", new VersionRange(1, 2), VersionRange.only(1)));
        final byte[] badMagic = hello.clone();
        badMagic[5] = 'X';
        assertEquals("magic", refused(badMagic).field());
        final ByteBuf inverted = Unpooled.wrappedBuffer(hello.clone());
        inverted.setShort(hello.length - 8, 3);
        assertEquals("wire versions", refused(ByteBufUtil.getBytes(inverted)).field());
        final ByteBuf zero = Unpooled.wrappedBuffer(encode(new HandshakeAccepted(1, 1)));
        zero.setShort(5, 0);
        assertEquals("wire version", refused(ByteBufUtil.getBytes(zero)).field());
    }

    @Test
    @DisplayName("a goodbye with an unknown reason code is refused")
    void badGoodbye() {
        final byte[] goodbye = encode(new Goodbye(Goodbye.Reason.SHUTDOWN, ""));
        goodbye[5] = 99;
        assertEquals("reason", refused(goodbye).field());
    }

    @ParameterizedTest(name = "entries {0}, bytes {1}")
    @CsvSource({"0, 1, entries", "1, 0, bytes", "-1, 1, entries", "1, -2147483648, bytes", "-2147483648, 5, entries"})
    @DisplayName("a credit granting zero, or more than 2^31 - 1 (a negative int), entries or bytes is refused")
    void badCredit(int entries, int bytes, String field) {
        final ByteBuf credit = Unpooled.wrappedBuffer(encode(new Credit(GROUP, 1, 1)));
        credit.setInt(credit.writerIndex() - 8, entries);
        credit.setInt(credit.writerIndex() - 4, bytes);
        final WireFormatException refusal = refused(ByteBufUtil.getBytes(credit));
        assertEquals(field, refusal.field());
        assertEquals("Credit", refusal.frameType());
        assertThrows(IllegalArgumentException.class, () -> new Credit(GROUP, entries, bytes));
    }

    @Test
    @DisplayName("a keep-alive has no body: one byte after its type is refused")
    void keepAliveHasNoBody() {
        final byte[] keepAlive = encode(KeepAlive.INSTANCE);
        assertEquals(5, keepAlive.length);
        final ByteBuf longer = Unpooled.buffer()
                .writeInt(2)
                .writeByte(FrameType.KEEP_ALIVE.code())
                .writeByte(0);
        assertEquals("end of frame", refused(ByteBufUtil.getBytes(longer)).field());
    }

    /** Where a forwarding frame's fields start: after prefix, type, the group id, term and request id. */
    private static final int FORWARD_REQUEST_ID_AT = 5 + 2 + GROUP.length() + 8;

    private static final int FORWARD_FIELDS_AT = FORWARD_REQUEST_ID_AT + 8;

    @Test
    @DisplayName("forwarding frames: request id 0 is refused in each type, naming the field")
    void forwardRequestIdZero() {
        for (Frame frame : List.of(
                new GroupMessage(
                        GROUP,
                        new ForwardProposal(SENDER, RECEIVER, 1, 5, 0, 0, 1),
                        Unpooled.wrappedBuffer(new byte[1])),
                message(new ForwardResult(SENDER, RECEIVER, 1, 5, ForwardOutcome.BUSY, 0)),
                message(new ReadIndexRequest(SENDER, RECEIVER, 1, 5)),
                message(new ReadIndexResponse(SENDER, RECEIVER, 1, 5, ForwardOutcome.SUCCEEDED, 3)))) {
            final ByteBuf bytes = Unpooled.wrappedBuffer(encode(frame));
            bytes.setLong(FORWARD_REQUEST_ID_AT, 0);
            final var failure = refused(ByteBufUtil.getBytes(bytes));
            assertEquals("request id", failure.field(), frame.toString());
            assertEquals(FORWARD_REQUEST_ID_AT, failure.offset());
        }
    }

    @Test
    @DisplayName("a ForwardProposal with a session id but no sequence number, or a sequence without a session, is"
            + " refused; its payload is a view of the frame")
    void forwardProposalSession() throws WireFormatException {
        final byte[] frame = encode(new GroupMessage(
                GROUP, new ForwardProposal(SENDER, RECEIVER, 1, 5, 9, 2, 3), Unpooled.wrappedBuffer(new byte[] {7, 8, 9
                })));
        final ByteBuf noSequence = Unpooled.wrappedBuffer(frame.clone());
        noSequence.setLong(FORWARD_FIELDS_AT + 8, 0);
        assertEquals("session id", refused(ByteBufUtil.getBytes(noSequence)).field());
        final ByteBuf noSession = Unpooled.wrappedBuffer(frame.clone());
        noSession.setLong(FORWARD_FIELDS_AT, 0);
        assertEquals("session id", refused(ByteBufUtil.getBytes(noSession)).field());
        final ByteBuf negativeSequence = Unpooled.wrappedBuffer(frame.clone());
        negativeSequence.setLong(FORWARD_FIELDS_AT + 8, -2);
        assertEquals("sequence", refused(ByteBufUtil.getBytes(negativeSequence)).field());

        final ByteBuf received = Unpooled.wrappedBuffer(frame);
        final ByteBuf payload =
                ((GroupMessage) new FrameDecoder(LIMITS).decode(received, SENDER, RECEIVER)).attachment();
        frame[frame.length - 1] = 42;
        assertEquals(42, payload.getByte(payload.writerIndex() - 1), "the payload is not copied");
    }

    @Test
    @DisplayName("ForwardResult and ReadIndexResponse: an unknown outcome code, a success without an index and a"
            + " failure with one are refused")
    void forwardAnswers() {
        final byte[] result = encode(message(new ForwardResult(SENDER, RECEIVER, 1, 5, ForwardOutcome.SUCCEEDED, 8)));
        final byte[] response =
                encode(message(new ReadIndexResponse(SENDER, RECEIVER, 1, 5, ForwardOutcome.SUCCEEDED, 8)));
        for (byte[] frame : List.of(result, response)) {
            final byte[] unknown = frame.clone();
            unknown[FORWARD_FIELDS_AT] = (byte) (ForwardOutcome.values().length);
            assertEquals("outcome", refused(unknown).field());
            final ByteBuf failureWithIndex = Unpooled.wrappedBuffer(frame.clone());
            failureWithIndex.setByte(FORWARD_FIELDS_AT, ForwardOutcome.BUSY.code());
            assertTrue(refused(ByteBufUtil.getBytes(failureWithIndex)).field().endsWith("index"));
        }
        final ByteBuf successWithoutIndex = Unpooled.wrappedBuffer(result.clone());
        successWithoutIndex.setLong(FORWARD_FIELDS_AT + 1, 0);
        assertEquals("index", refused(ByteBufUtil.getBytes(successWithoutIndex)).field());
        final ByteBuf negativeReadIndex = Unpooled.wrappedBuffer(response.clone());
        negativeReadIndex.setLong(FORWARD_FIELDS_AT + 1, -8);
        assertEquals(
                "read index", refused(ByteBufUtil.getBytes(negativeReadIndex)).field());
    }

    @Test
    @DisplayName("the encoder refuses what the decoder would refuse: too large, bad names, bytes on a bodiless message")
    void encoderRefusesInvalidFrames() {
        final var encoder = new FrameEncoder(new WireLimits(WireLimits.MIN_FRAME_BYTES));
        final var big = new GroupMessage(
                GROUP,
                new AppendEntries(SENDER, RECEIVER, 1, 0, 0, 1, 1, 0, List.of()),
                Unpooled.wrappedBuffer(new byte[WireLimits.MIN_FRAME_BYTES]));
        final ByteBuf out = Unpooled.buffer();
        assertThrows(IllegalArgumentException.class, () -> encoder.encode(big, out));
        assertEquals(0, out.writerIndex(), "nothing of a refused frame stays in the buffer");
        assertThrows(IllegalArgumentException.class, () -> encoder.encode(new Credit("a b", 1, 1), out));
        assertThrows(
                IllegalArgumentException.class,
                () -> encoder.encode(
                        new GroupMessage(
                                GROUP, new Heartbeat(SENDER, RECEIVER, 1, 1, 1), Unpooled.wrappedBuffer(new byte[1])),
                        out));
        assertThrows(
                IllegalArgumentException.class,
                () -> encoder.encode(
                        new GroupMessage(
                                GROUP,
                                new ForwardProposal(SENDER, RECEIVER, 1, 5, 0, 0, 2),
                                Unpooled.wrappedBuffer(new byte[1])),
                        out),
                "a payload of another length than declared");
        assertThrows(
                IllegalArgumentException.class,
                () -> encoder.encode(message(new ReadIndexRequest(SENDER, RECEIVER, 1, 0)), out),
                "request id 0");
    }
}
