package dev.spool.raft.group;

import dev.spool.api.spi.journal.RawRecords;
import dev.spool.api.spi.journal.RecordDescriptor;
import dev.spool.api.spi.raft.AppendEntries;
import dev.spool.raft.pipeline.Counter;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Checks the records a leader sent before the core takes them, so that a bad record from a peer is refused instead
 * of failing the group: each record's length (a whole header at least, within the records), index (the next one),
 * term (the message's entry term), flags, payload size (what this member's journal takes) and CRC32C
 * (docs/journal-format.md). The core agent then steps only the sound prefix of the message: the member tells the
 * leader how far it matches, and the leader sends the rest again.
 *
 * <p>This is the one place a received record's checksum is computed: it has to be here, before the core steps the
 * message, for a bad record to shape what the member acknowledges. The log agent appends the records with
 * {@link dev.spool.api.spi.journal.EntryWriter#appendRawVerified}, which checks everything else again but not the
 * checksums; the journal's readers verify every record they read, so damage after this check does not go unseen.
 *
 * <p>Threads: the core agent only. Allocation-free unless a record is refused.
 */
final class RecordCheck {

    private static final System.Logger LOG = System.getLogger(RecordCheck.class.getName());

    private final String group;
    private final int maxPayloadBytes;
    private final CRC32C crc = new CRC32C();
    private final Counter refused;
    /** The last refusal logged, so that a leader resending the same bad record is logged once. */
    private String lastLogged;

    /**
     * @param group the group's name, for the log
     * @param maxPayloadBytes the largest payload this member's journal takes
     */
    RecordCheck(String group, int maxPayloadBytes) {
        this.group = group;
        this.maxPayloadBytes = maxPayloadBytes;
        this.refused = new Counter(group + ".refusedRecords");
    }

    /** @return how many received AppendEntries had a record refused */
    Counter refused() {
        return refused;
    }

    /**
     * Returns the received AppendEntries as the core may step it: as it came if every record it carries is sound,
     * otherwise cut before the first record missing or bad (its records released if none remains), which is counted
     * and logged with the peer and the reason.
     *
     * @param append the message of {@code received}, which carries entries
     */
    Received soundPart(AppendEntries append, Received received) {
        final long sound = soundEntries(append, received.records());
        return sound < append.entryCount() ? cut(append, received.records(), sound) : received;
    }

    /** The first {@code count} entries of a received AppendEntries, with its records (released if none remain). */
    private static Received cut(AppendEntries append, RawRecords records, long count) {
        final long last = append.prevLogIndex() + count;
        final var cutMessage = new AppendEntries(
                append.from(),
                append.to(),
                append.term(),
                append.prevLogIndex(),
                append.prevLogTerm(),
                last,
                count == 0 ? 0 : append.entryTerm(),
                append.leaderCommit(),
                Replication.membershipsWithin(append, append.prevLogIndex(), last));
        if (count == 0 && records != null) {
            records.release();
            return new Received(cutMessage, null, null);
        }
        return new Received(cutMessage, records, null);
    }

    /**
     * Returns how many of the message's entries, from its first, the attached records carry soundly; fewer than
     * {@link AppendEntries#entryCount()} if a record is missing or bad.
     *
     * @param records the records attached to the message, or {@code null} if none came
     */
    private long soundEntries(AppendEntries append, RawRecords records) {
        if (records == null) {
            return refuse(append, append.firstIndex(), "no records are attached");
        }
        if (records.firstIndex() > append.firstIndex()) {
            return refuse(append, append.firstIndex(), "the records start at " + records.firstIndex());
        }
        final ByteBuffer buffer = records.buffer();
        final int start = buffer.position();
        final int limit = buffer.limit();
        int offset = start;
        long index = records.firstIndex();
        String problem = null;
        while (index <= append.lastIndex()) {
            problem = problem(buffer, offset, limit, index, append.entryTerm());
            if (problem != null) {
                break;
            }
            offset += RecordDescriptor.length(buffer, offset);
            index++;
        }
        buffer.limit(limit).position(start);
        if (problem == null) {
            return append.entryCount();
        }
        return refuse(append, index, problem);
    }

    private String problem(ByteBuffer buffer, int offset, int limit, long index, long term) {
        if (limit - offset < RecordDescriptor.HEADER_LENGTH) {
            return offset == limit ? "the records end before it" : "its header is cut short";
        }
        final int length = RecordDescriptor.length(buffer, offset);
        if (length < RecordDescriptor.HEADER_LENGTH || length > limit - offset) {
            return "its length " + length + " is impossible here";
        }
        if (length - RecordDescriptor.HEADER_LENGTH > maxPayloadBytes) {
            return "its payload of " + (length - RecordDescriptor.HEADER_LENGTH) + " bytes is larger than this"
                    + " member's journal takes (" + maxPayloadBytes + ")";
        }
        if (RecordDescriptor.index(buffer, offset) != index) {
            return "it carries index " + RecordDescriptor.index(buffer, offset);
        }
        if (RecordDescriptor.term(buffer, offset) != term) {
            return "it carries term " + RecordDescriptor.term(buffer, offset) + ", not the message's " + term;
        }
        if ((RecordDescriptor.flags(buffer, offset) & ~RecordDescriptor.KNOWN_FLAGS) != 0) {
            return "it has unknown flags " + Integer.toHexString(RecordDescriptor.flags(buffer, offset));
        }
        final int checksum = RecordDescriptor.checksum(crc, buffer, offset, length);
        buffer.limit(limit);
        if (checksum != RecordDescriptor.storedChecksum(buffer, offset)) {
            return "its checksum does not match";
        }
        return null;
    }

    private long refuse(AppendEntries append, long index, String problem) {
        refused.increment();
        final String refusal = append.from() + "/" + index + "/" + problem;
        if (!refusal.equals(lastLogged)) {
            lastLogged = refusal;
            LOG.log(
                    System.Logger.Level.WARNING,
                    "group " + group + ": refused record " + index + " from member "
                            + append.from() + " (term " + append.term() + "): " + problem
                            + "; it takes the entries before it and"
                            + " the leader sends the rest again");
        }
        return Math.max(0, index - append.firstIndex());
    }
}
