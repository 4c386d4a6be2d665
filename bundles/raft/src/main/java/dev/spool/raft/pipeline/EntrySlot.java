package dev.spool.raft.pipeline;

import dev.spool.api.cluster.Membership;
import dev.spool.api.spi.journal.RawRecords;
import dev.spool.api.spi.replication.ReceivedBytes;
import dev.spool.raft.core.EntryKind;

/**
 * What the pipeline keeps about one entry in flight: a reusable flyweight of plain fields in a {@link SlotRing}.
 * The ring's producer fills a slot for the index it claimed, then publishes it by moving {@code accepted}; that
 * release store makes the fields visible to every task that reads {@code accepted} before reading the slot. The
 * apply task {@link #clear()}s the slot after applying the entry, before it moves {@code applied}, which hands the
 * slot back to the producer.
 *
 * <p>A slot belongs to entry {@code index} only while {@link #index()} says so: a reader that finds another index
 * (an entry the producer never filled, as on a member that restarted, or one past a truncation that a later claim
 * reused) takes the entry from the journal instead.
 *
 * <p>A slot holds its entry in one of three {@link Form}s, each in a field of its own type. The peer's bytes of the
 * last two are released by whoever ends the entry's way through the pipeline — the log task once it wrote them, the
 * core when a truncation drops them, the stopping thread — through {@link #releaseBytes()}; releasing is idempotent,
 * so a path that cannot tell whether another one released already releases again.
 *
 * @param <P> the type of the payload objects clients propose
 * @param <C> the type of the completion callbacks clients pass (reusable objects, never one per call)
 */
public final class EntrySlot<P, C> {

    /** How a slot holds its entry. */
    public enum Form {
        /**
         * As objects: the application's payload of a normal entry (a leader applies it without decoding), the
         * membership of a membership change, nothing for a no-op.
         */
        OBJECTS,
        /**
         * As a leader's records, received in an AppendEntries: every slot of their range points at the same view,
         * which the log task appends raw.
         */
        RECORDS,
        /**
         * As the encoded payload of a normal entry a follower forwarded to this leader, which the log task writes
         * into the entry's envelope as it arrived.
         */
        FORWARDED
    }

    private long index;
    private long term;
    private EntryKind kind = EntryKind.NORMAL;
    private Form form = Form.OBJECTS;
    private P payload;
    private Membership membership;
    private RawRecords records;
    private ReceivedBytes forwarded;
    private C callback;
    private long sessionId;
    private long sequence;
    private int encodedSize;
    private long stamp;

    /**
     * Fills the slot with a client's proposal: a normal entry whose payload is the application's object.
     *
     * @param index the entry's index
     * @param term the entry's term
     * @param payload the payload object the client proposed
     * @param callback the callback to complete when the entry is applied or lost
     * @param sessionId the proposing client's session, or 0
     * @param sequence the client's sequence number within its session, or 0
     * @param stamp the proposing leader's clock reading ({@link #stamp()})
     */
    public void fillProposal(long index, long term, P payload, C callback, long sessionId, long sequence, long stamp) {
        fill(
                index,
                term,
                EntryKind.NORMAL,
                Form.OBJECTS,
                payload,
                null,
                null,
                null,
                callback,
                sessionId,
                sequence,
                0,
                stamp);
    }

    /**
     * Fills the slot with a proposal a follower forwarded: a normal entry whose payload is the bytes the follower's
     * codec wrote, which the slot holds from here.
     *
     * @param forwarded the encoded payload, as it arrived
     * @see #fillProposal
     */
    public void fillForwarded(
            long index, long term, ReceivedBytes forwarded, C callback, long sessionId, long sequence, long stamp) {
        fill(
                index,
                term,
                EntryKind.NORMAL,
                Form.FORWARDED,
                null,
                null,
                null,
                forwarded,
                callback,
                sessionId,
                sequence,
                0,
                stamp);
    }

    /**
     * Fills the slot with an entry the core created: a no-op, or a membership change.
     *
     * @param kind {@link EntryKind#NOOP} or {@link EntryKind#MEMBERSHIP}
     * @param membership the membership of a membership change, or {@code null}
     */
    public void fillCreated(long index, long term, EntryKind kind, Membership membership) {
        fill(index, term, kind, Form.OBJECTS, null, membership, null, null, null, 0, 0, 0, 0);
    }

    /**
     * Fills the slot with an entry a leader sent, as a record of {@code records}, which the slots of the range hold
     * from here. Its kind is not known without decoding: the slot says {@link EntryKind#NORMAL}.
     */
    public void fillReceived(long index, long term, RawRecords records) {
        fill(index, term, EntryKind.NORMAL, Form.RECORDS, null, null, records, null, null, 0, 0, 0, 0);
    }

    /**
     * Fills the slot with an entry decoded from the journal (no callback).
     *
     * @param payload the decoded payload of a normal entry, or {@code null}
     * @param membership the decoded membership of a membership change, or {@code null}
     * @param encodedSize the envelope's body size in bytes
     */
    public void fillDecoded(
            long index,
            long term,
            EntryKind kind,
            P payload,
            Membership membership,
            long sessionId,
            long sequence,
            int encodedSize,
            long stamp) {
        fill(
                index,
                term,
                kind,
                Form.OBJECTS,
                payload,
                membership,
                null,
                null,
                null,
                sessionId,
                sequence,
                encodedSize,
                stamp);
    }

    /**
     * Copies every field of {@code source} but its callback: for a task that reads a slot another task may refill,
     * and validates the copy afterwards.
     */
    public void copyWithoutCallback(EntrySlot<P, ?> source) {
        fill(
                source.index,
                source.term,
                source.kind,
                source.form,
                source.payload,
                source.membership,
                source.records,
                source.forwarded,
                null,
                source.sessionId,
                source.sequence,
                source.encodedSize,
                source.stamp);
    }

    /** Drops the callback, keeping the entry: its proposer has been told the outcome already. Producer only. */
    public void dropCallback() {
        callback = null;
    }

    /**
     * Forgets the entry and drops its object references, so that payload, bytes and callback do not outlive the
     * entry. Apply task only, after applying the entry and before moving {@code applied} past it.
     */
    public void clear() {
        fill(0, 0, EntryKind.NORMAL, Form.OBJECTS, null, null, null, null, null, 0, 0, 0, 0);
    }

    /** Releases the peer's bytes the slot holds, if any ({@link Form#RECORDS}, {@link Form#FORWARDED}). Idempotent. */
    public void releaseBytes() {
        switch (form) {
            case RECORDS -> records.release();
            case FORWARDED -> forwarded.release();
            case OBJECTS -> {}
        }
    }

    private void fill(
            long index,
            long term,
            EntryKind kind,
            Form form,
            P payload,
            Membership membership,
            RawRecords records,
            ReceivedBytes forwarded,
            C callback,
            long sessionId,
            long sequence,
            int encodedSize,
            long stamp) {
        this.index = index;
        this.term = term;
        this.kind = kind;
        this.form = form;
        this.payload = payload;
        this.membership = membership;
        this.records = records;
        this.forwarded = forwarded;
        this.callback = callback;
        this.sessionId = sessionId;
        this.sequence = sequence;
        this.encodedSize = encodedSize;
        this.stamp = stamp;
    }

    /**
     * @return the proposing leader's clock reading in milliseconds since the epoch, carried in the entry so that
     *     every member measures client sessions' idle time on the same readings; 0 if the entry has none
     */
    public long stamp() {
        return stamp;
    }

    /** @return the entry's index, or 0 if the slot holds no entry */
    public long index() {
        return index;
    }

    /** @return the entry's term */
    public long term() {
        return term;
    }

    /** @return the entry's kind; {@link EntryKind#NORMAL} for a received record, whatever it holds */
    public EntryKind kind() {
        return kind;
    }

    /** @return how the slot holds its entry */
    public Form form() {
        return form;
    }

    /** @return the application's payload object of a normal entry held as {@link Form#OBJECTS}, or {@code null} */
    public P payload() {
        return payload;
    }

    /** @return the membership of a membership change held as {@link Form#OBJECTS}, or {@code null} */
    public Membership membership() {
        return membership;
    }

    /** @return the received records the entry is one of ({@link Form#RECORDS}), or {@code null} */
    public RawRecords records() {
        return records;
    }

    /** @return the forwarded proposal's encoded payload ({@link Form#FORWARDED}), or {@code null} */
    public ReceivedBytes forwarded() {
        return forwarded;
    }

    /** @return the client's completion callback, or {@code null} */
    public C callback() {
        return callback;
    }

    /** @return the client's session id, or 0 */
    public long sessionId() {
        return sessionId;
    }

    /** @return the client's sequence number within its session, or 0 */
    public long sequence() {
        return sequence;
    }

    /** @return the payload's encoded size in bytes, known only for an entry decoded from the journal; else 0 */
    public int encodedSize() {
        return encodedSize;
    }
}
