package dev.spool.raft.group;

import dev.spool.api.cluster.Membership;
import dev.spool.api.codec.EntrySink;
import dev.spool.api.codec.EntrySource;
import dev.spool.api.codec.PayloadCodec;
import dev.spool.api.group.ProposalCallback;
import dev.spool.raft.core.EntryKind;
import dev.spool.raft.pipeline.EntrySlot;
import java.io.IOException;
import java.io.InvalidObjectException;

/**
 * The envelope every journal entry of a group is stored in: the entry's kind (one byte), the proposing client's
 * session id and sequence number (eight bytes each, 0 outside a session), for a normal entry the leader's clock
 * reading in milliseconds when the kind has {@link #STAMPED} set (entries written before stamps have none), then the
 * body — the application payload
 * through the group's {@link PayloadCodec} for a normal entry, the membership for a membership change, nothing for
 * a leader's no-op. The core never decodes payloads; the kind in the envelope is how a restarted member finds its
 * membership changes, and how a follower knows what it applies.
 *
 * <p>A normal slot holds either the application's object ({@link EntrySlot.Form#OBJECTS}), encoded here by the
 * application's codec, or the bytes a follower's codec wrote for a proposal it forwarded to this leader
 * ({@link EntrySlot.Form#FORWARDED}), written as they arrived: the leader never decodes a forwarded proposal into an
 * object it keeps. A slot of received records is never encoded: the log task appends them raw.
 *
 * <p>As a codec it encodes a filled {@link EntrySlot} straight into the journal's sink (no copy) and decodes into
 * a new slot; {@link #decodeInto} decodes into a reused slot, allocating only what the application codec does.
 * Stateless apart from the application codec, so any thread may use it.
 *
 * @param <T> the application's payload type
 */
final class EntryEnvelope<T> implements PayloadCodec<EntrySlot<T, ProposalCallback>> {

    /** The least bytes before the body: kind, session id, sequence. */
    static final int HEADER_BYTES = 1 + 8 + 8;
    /** The most bytes before the body: a stamped entry's header. */
    static final int MAX_HEADER_BYTES = HEADER_BYTES + 8;
    /** Set in the stored kind of an entry whose header carries a stamp ({@link EntrySlot#stamp()}). */
    static final byte STAMPED = 0x40;

    private final PayloadCodec<T> codec;

    EntryEnvelope(PayloadCodec<T> codec) {
        this.codec = codec;
    }

    /** @return the application's codec, which encodes and decodes the bodies of normal entries */
    PayloadCodec<T> codec() {
        return codec;
    }

    @Override
    public void encode(EntrySlot<T, ProposalCallback> slot, EntrySink sink) throws IOException {
        final boolean stamped = slot.stamp() != 0;
        sink.writeByte(stamped ? slot.kind().code() | STAMPED : slot.kind().code());
        sink.writeLong(slot.sessionId());
        sink.writeLong(slot.sequence());
        if (stamped) {
            sink.writeLong(slot.stamp());
        }
        switch (slot.kind()) {
            case NORMAL -> {
                if (slot.form() == EntrySlot.Form.FORWARDED) {
                    // a duplicate: a retried append writes them again
                    sink.write(slot.forwarded().buffer().duplicate());
                } else {
                    codec.encode(slot.payload(), sink);
                }
            }
            case MEMBERSHIP -> slot.membership().writeTo(sink);
            case NOOP -> {}
        }
    }

    @Override
    public EntrySlot<T, ProposalCallback> decode(EntrySource source) throws IOException {
        final var slot = new EntrySlot<T, ProposalCallback>();
        decodeInto(source, slot, 0, 0);
        return slot;
    }

    /**
     * Decodes an envelope into a reused slot.
     *
     * @param source the stored envelope
     * @param target the slot to fill (no callback)
     * @param index the entry's index
     * @param term the entry's term
     * @throws IOException if the bytes are not an envelope, naming the entry
     */
    void decodeInto(EntrySource source, EntrySlot<T, ProposalCallback> target, long index, long term)
            throws IOException {
        if (source.remaining() < HEADER_BYTES) {
            throw new InvalidObjectException("entry " + index + ": " + source.remaining()
                    + " bytes cannot hold an entry envelope of at least " + HEADER_BYTES);
        }
        final byte stored = source.readByte();
        final EntryKind kind = EntryKind.of(stored & ~STAMPED);
        if (kind == null) {
            throw new InvalidObjectException("entry " + index + " has unknown kind " + (stored & ~STAMPED));
        }
        final long sessionId = source.readLong();
        final long sequence = source.readLong();
        long stamp = 0;
        if ((stored & STAMPED) != 0) {
            if (source.remaining() < 8) {
                throw new InvalidObjectException("entry " + index + ": " + source.remaining()
                        + " bytes left cannot hold the stamp its kind " + stored + " announces");
            }
            stamp = source.readLong();
        }
        final int size = source.remaining();
        final T payload = kind == EntryKind.NORMAL ? codec.decode(source) : null;
        final Membership membership = kind == EntryKind.MEMBERSHIP ? Membership.readFrom(source) : null;
        target.fillDecoded(index, term, kind, payload, membership, sessionId, sequence, size, stamp);
    }

    @Override
    public int encodedSize(EntrySlot<T, ProposalCallback> slot) {
        return switch (slot.kind()) {
            case NORMAL -> {
                final int body = slot.form() == EntrySlot.Form.FORWARDED
                        ? slot.forwarded().buffer().remaining()
                        : codec.encodedSize(slot.payload());
                yield body < 0 ? -1 : header(slot) + body;
            }
            case NOOP -> header(slot);
            case MEMBERSHIP -> -1; // not known before it is written
        };
    }

    /**
     * Returns the membership a stored entry carries, reading only its envelope's header unless it is a membership
     * change: how recovery finds the log's membership changes without decoding payloads.
     *
     * @param index the entry's index, for errors
     * @param source the entry's stored bytes
     * @return the membership, or {@code null} if the entry is not a membership change
     * @throws IOException if the envelope is malformed
     */
    static Membership membershipIn(long index, EntrySource source) throws IOException {
        if (source.remaining() < HEADER_BYTES) {
            throw new InvalidObjectException("entry " + index + ": " + source.remaining()
                    + " bytes cannot hold an entry envelope of at least " + HEADER_BYTES);
        }
        final byte stored = source.readByte();
        if (EntryKind.of(stored & ~STAMPED) != EntryKind.MEMBERSHIP) {
            return null;
        }
        source.readLong(); // session id
        source.readLong(); // sequence
        if ((stored & STAMPED) != 0) {
            source.readLong();
        }
        return Membership.readFrom(source);
    }

    private static int header(EntrySlot<?, ProposalCallback> slot) {
        return slot.stamp() != 0 ? MAX_HEADER_BYTES : HEADER_BYTES;
    }
}
