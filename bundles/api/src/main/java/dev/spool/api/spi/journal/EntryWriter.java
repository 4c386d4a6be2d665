package dev.spool.api.spi.journal;

import dev.spool.api.codec.PayloadCodec;
import dev.spool.api.group.Durability;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Appends entries to a journal. There is one writer per journal and exactly one thread may use it.
 *
 * <p>An append is visible to readers as soon as it returns (the write position is published with release
 * semantics), but is durable only as the journal's {@link Durability} says: under {@link Durability#SYNC} once a
 * {@link #flush()} that covers it has returned. Steady-state appends allocate nothing.
 */
public interface EntryWriter {

    /**
     * Returns the index the next append will get.
     *
     * @return {@code lastIndex() + 1}
     */
    long nextIndex();

    /**
     * Appends one entry whose payload {@code codec} streams straight into the mapped segment. An entry that does not
     * fit in the space left rolls to the next segment first.
     *
     * @param term the Raft term of the entry; not below the last entry's term
     * @param codec the payload's codec
     * @param payload the payload
     * @param <T> the payload type
     * @return the index of the appended entry
     * @throws EntryTooLargeException if the payload exceeds the maximum entry size; the journal is left unchanged
     * @throws StorageExhaustedException if a new segment was needed and free space is below the configured floor
     * @throws IOException if the codec fails (the journal is left unchanged) or the storage fails
     * @throws IllegalArgumentException if {@code term} is below the last entry's term
     */
    <T> long append(long term, PayloadCodec<T> codec, T payload) throws IOException;

    /**
     * Appends one always-durable entry (a cluster membership change): like {@link #append}, then forces this entry
     * and everything before it to disk before returning, whatever the journal's durability. The record carries the
     * always-durable flag, so a follower that receives it raw forces it too.
     *
     * @param term the Raft term of the entry
     * @param codec the payload's codec
     * @param payload the payload
     * @param <T> the payload type
     * @return the index of the appended entry, durable on return
     * @throws EntryTooLargeException if the payload exceeds the maximum entry size; the journal is left unchanged
     * @throws StorageExhaustedException if a new segment was needed and free space is below the configured floor
     * @throws IOException if the codec or the storage fails
     */
    <T> long appendDurable(long term, PayloadCodec<T> codec, T payload) throws IOException;

    /**
     * Appends records exactly as they lie in another member's journal (as a {@link RawRecords} view handed them
     * out), without decoding any payload. Every record's checksum is verified first, the first record's index must
     * be {@link #nextIndex()}, indexes must be consecutive and terms must not decrease; if any check fails nothing is
     * appended. Records carrying the always-durable flag are forced, with everything before them, before this
     * returns. The bytes from the source's position to its limit must be whole records; the position advances to
     * the limit.
     *
     * @param records whole records in the journal's record format
     * @return the index of the last appended entry
     * @throws RejectedRecordsException naming the offending record if a check fails
     * @throws EntryTooLargeException if a record exceeds the maximum entry size
     * @throws StorageExhaustedException if a new segment was needed and free space is below the configured floor
     * @throws IOException if the storage fails
     */
    long appendRaw(ByteBuffer records) throws IOException;

    /**
     * Appends raw records as {@link #appendRaw} does, except that the caller has already verified every record's
     * checksum: they are not computed again. Every other check of {@link #appendRaw} holds (whole records, indexes,
     * terms, flags, sizes). For a member whose group checked a peer's records before taking them, so that each record
     * received costs one checksum. A record whose checksum is wrong all the same is appended, and the first read of
     * it fails with {@link CorruptJournalException}, as any damage to stored records does.
     *
     * <p>This default verifies them anyway, with {@link #appendRaw}.
     *
     * @param records whole records in the journal's record format, their checksums verified
     * @return the index of the last appended entry
     * @throws RejectedRecordsException naming the offending record if a check fails
     * @throws EntryTooLargeException if a record exceeds the maximum entry size
     * @throws StorageExhaustedException if a new segment was needed and free space is below the configured floor
     * @throws IOException if the storage fails
     */
    default long appendRawVerified(ByteBuffer records) throws IOException {
        return appendRaw(records);
    }

    /**
     * A flush point. Under {@link Durability#SYNC} forces everything appended (and any truncation's zeroing) since
     * the last flush point in one force (group commit); under {@link Durability#NONE} it forces nothing. Never
     * blocks on segment preparation.
     *
     * @return the index up to which entries are durable as the journal's durability defines (under {@code NONE}:
     *     the last appended index)
     * @throws IOException if the force fails
     */
    long flush() throws IOException;
}
