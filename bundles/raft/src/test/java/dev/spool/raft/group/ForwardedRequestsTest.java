package dev.spool.raft.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.codec.EntrySink;
import dev.spool.api.codec.EntrySource;
import dev.spool.api.codec.PayloadCodec;
import dev.spool.api.group.Durability;
import dev.spool.api.group.GroupRole;
import dev.spool.api.spi.journal.RawRecords;
import dev.spool.api.spi.raft.ForwardOutcome;
import dev.spool.api.spi.raft.ForwardProposal;
import dev.spool.api.spi.raft.ForwardResult;
import dev.spool.api.spi.raft.RaftMessage;
import dev.spool.api.spi.replication.GroupLink;
import dev.spool.api.spi.replication.ReceivedBytes;
import dev.spool.api.spi.replication.ReleasableBytes;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The leader's side of forwarding, without threads: what enters the intake and what is answered. */
class ForwardedRequestsTest {

    private static final Membership MEMBERS = Membership.of(Member.voter("leader", ""), Member.voter("f", ""));
    private static final int CAPACITY = 16;

    /** Bytes as they are ({@link BytesCodec}); a payload starting with -1 cannot be decoded. */
    private static final PayloadCodec<byte[]> CODEC = new PayloadCodec<>() {
        private final BytesCodec bytes = new BytesCodec();

        @Override
        public void encode(byte[] payload, EntrySink sink) throws IOException {
            bytes.encode(payload, sink);
        }

        @Override
        public byte[] decode(EntrySource source) throws IOException {
            final byte[] payload = bytes.decode(source);
            if (payload.length > 0 && payload[0] == -1) {
                throw new InvalidObjectException("not a payload of this codec");
            }
            return payload;
        }
    };

    private final GroupSettings settings =
            new GroupSettings("g", "leader", MEMBERS, Durability.NONE, 1_000_000, 10, 1, CAPACITY, 1_000, 100);
    private final Pipeline<byte[]> pipeline = new Pipeline<>("g", CAPACITY, 0, 0);
    private final Intake<byte[]> intake = new Intake<>("g", CAPACITY, () -> {});
    private final GroupStatus status = new GroupStatus();
    private final ForwardedRequests<byte[]> requests =
            new ForwardedRequests<>(settings, CODEC, intake, status, pipeline, System::nanoTime);
    private final List<RaftMessage> sent = new ArrayList<>();
    private final GroupLink link = new GroupLink() {
        @Override
        public boolean send(Member to, RaftMessage message) {
            return sent.add(message);
        }

        @Override
        public boolean sendRecords(Member to, RaftMessage message, RawRecords records) {
            throw new AssertionError("no records are sent");
        }

        @Override
        public boolean sendSnapshotChunk(Member to, RaftMessage message, ByteBuffer chunk) {
            throw new AssertionError("no snapshot is sent");
        }

        @Override
        public boolean sendForwardedProposal(Member to, ForwardProposal message, ByteBuffer payload) {
            throw new AssertionError("a leader forwards nothing");
        }

        @Override
        public void close() {}
    };

    /** The payloads forwarded so far, in order. */
    private final List<Bytes> forwarded = new ArrayList<>();

    /** A forwarded payload, which knows whether it was released. */
    private static final class Bytes extends ReleasableBytes {
        Bytes(byte[] payload) {
            super(ByteBuffer.wrap(payload).asReadOnlyBuffer());
        }

        @Override
        protected void releaseMemory() {}
    }

    private void forward(long requestId, long sessionId, long sequence, byte... payload) {
        final var bytes = new Bytes(payload);
        forwarded.add(bytes);
        requests.proposal(new ForwardProposal("f", "leader", 3, requestId, sessionId, sequence, payload.length), bytes);
    }

    private static byte[] bytesOf(ReceivedBytes payload) {
        final ByteBuffer buffer = payload.buffer().duplicate();
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private ForwardResult onlyAnswer() {
        sent.clear();
        requests.sendAnswers(MEMBERS, link);
        assertEquals(1, sent.size(), sent::toString);
        return (ForwardResult) sent.get(0);
    }

    @Test
    @DisplayName("a forwarded proposal enters the leader's intake as the bytes that arrived, with its session and"
            + " sequence; a full intake answers busy at once, as it refuses a local proposal, and releases the bytes")
    void entersTheIntakeAndAFullIntakeAnswersBusy() {
        status.role = GroupRole.LEADER;
        for (int i = 1; i <= CAPACITY; i++) {
            forward(i, 77, i, (byte) i, (byte) 5);
        }
        requests.sendAnswers(MEMBERS, link);
        assertTrue(sent.isEmpty(), "accepted proposals are answered when they apply, not before");
        forward(100, 0, 0, (byte) 9);
        assertTrue(forwarded.get(CAPACITY).released(), "a refused payload is released");
        assertFalse(forwarded.get(0).released(), "an accepted payload is the intake's");
        final ForwardResult busy = onlyAnswer();
        assertEquals(ForwardOutcome.BUSY, busy.outcome());
        assertEquals(100, busy.requestId());
        assertEquals("f", busy.to());

        final List<long[]> drained = new ArrayList<>();
        intake.drainTo(
                (payload, bytes, callback, sessionId, sequence, deadline) -> {
                    assertNull(payload, "no decoded object");
                    assertSame(
                            forwarded.get((int) sequence - 1), bytes, "the bytes as they arrived, not a decoded copy");
                    assertArrayEquals(new byte[] {(byte) sequence, 5}, bytesOf(bytes));
                    assertTrue(ForwardedRequests.isForwarded(callback), "never forwarded again");
                    drained.add(new long[] {sessionId, sequence});
                    callback.applied(40 + sequence, null);
                },
                CAPACITY);
        assertEquals(CAPACITY, drained.size());
        assertEquals(77, drained.get(0)[0]);
        sent.clear();
        requests.sendAnswers(MEMBERS, link);
        assertEquals(CAPACITY, sent.size());
        final var first = (ForwardResult) sent.get(0);
        assertEquals(ForwardOutcome.SUCCEEDED, first.outcome());
        assertEquals(41, first.index());
        assertEquals(1, first.requestId());
    }

    @Test
    @DisplayName("a member that does not lead answers not-leader; a payload its codec cannot decode is rejected;"
            + " neither enters the intake")
    void refusals() {
        status.role = GroupRole.FOLLOWER;
        forward(1, 0, 0, (byte) 1);
        assertEquals(ForwardOutcome.NOT_LEADER, onlyAnswer().outcome());
        status.role = GroupRole.LEADER;
        forward(2, 0, 0, (byte) -1);
        final ForwardResult rejected = onlyAnswer();
        assertEquals(ForwardOutcome.REJECTED, rejected.outcome());
        assertEquals(2, rejected.requestId());
        assertEquals(0, intake.drainTo((payload, bytes, callback, sessionId, sequence, deadline) -> {}, CAPACITY));
        assertTrue(forwarded.stream().allMatch(Bytes::released), "refused payloads are released");
        assertFalse(ForwardedRequests.isForwarded(new Outcomes()), "a local proposal may be forwarded");
    }

    @Test
    @DisplayName("the intake releases the bytes of a forwarded proposal it ends itself, past its deadline or left at"
            + " close, before its callback hears why")
    void theIntakeReleasesTheBytesOfRequestsItEnds() {
        status.role = GroupRole.LEADER;
        forward(1, 0, 0, (byte) 1);
        final List<Boolean> releasedWhenEnded = new ArrayList<>();
        assertEquals(
                1,
                intake.expire(
                        System.nanoTime(),
                        callback -> releasedWhenEnded.add(forwarded.get(0).released())));
        forward(2, 0, 0, (byte) 2);
        intake.close(callback -> releasedWhenEnded.add(forwarded.get(1).released()));
        assertEquals(List.of(true, true), releasedWhenEnded);
    }
}
