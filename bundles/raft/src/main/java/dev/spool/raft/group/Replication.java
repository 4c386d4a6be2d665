package dev.spool.raft.group;

import dev.spool.api.cluster.Member;
import dev.spool.api.spi.journal.EntryReader;
import dev.spool.api.spi.journal.Journal;
import dev.spool.api.spi.journal.RawRecords;
import dev.spool.api.spi.raft.AppendEntries;
import dev.spool.api.spi.raft.MembershipEntry;
import dev.spool.api.spi.replication.GroupLink;
import dev.spool.raft.core.RaftCore;
import dev.spool.raft.core.Role;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A leader's AppendEntries on their way out: each waits in an outbox until the log task has flushed its range, then
 * goes out with its records read raw from the journal, one message per segment crossed. A member that no longer
 * leads drops what waits: those messages speak for a term that is over, and after a truncation their indices name
 * other entries. The outbox holds plain messages; records are read only when sent, so nothing waiting pins any.
 *
 * <p>Threads: the core agent only.
 */
final class Replication {

    private final Journal journal;
    private final GroupLink link;
    private final ArrayDeque<AppendEntries> outbox = new ArrayDeque<>();
    private EntryReader reader;

    /**
     * @param journal the group's journal, which the records are read from
     * @param link the group's transport; not {@code null}
     */
    Replication(Journal journal, GroupLink link) {
        this.journal = journal;
        this.link = link;
    }

    /** Queues an AppendEntries with entries, until its range is flushed. */
    void queue(AppendEntries append) {
        outbox.add(append);
    }

    /**
     * Sends the queued AppendEntries whose entries are flushed up to {@code flushed}.
     *
     * @return how many were sent
     */
    int sendFlushed(RaftCore core, long flushed) throws IOException {
        if (core.role() != Role.LEADER) {
            outbox.clear();
            return 0;
        }
        int sent = 0;
        AppendEntries append;
        while ((append = outbox.peek()) != null && append.lastIndex() <= flushed) {
            outbox.poll();
            sendWithRecords(GroupContext.member(core.membership(), append.to()), append);
            sent++;
        }
        return sent;
    }

    private void sendWithRecords(Member to, AppendEntries append) throws IOException {
        if (to == null || append.firstIndex() < journal.firstIndex()) {
            return;
        }
        if (reader == null) {
            reader = journal.openReader(append.firstIndex());
        } else {
            reader.seek(append.firstIndex());
        }
        long prevIndex = append.prevLogIndex();
        long prevTerm = append.prevLogTerm();
        while (prevIndex < append.lastIndex()) {
            final long remaining = append.lastIndex() - prevIndex;
            final RawRecords records = reader.readRaw((int) Math.min(remaining, Integer.MAX_VALUE), 1 << 20);
            if (records == null) {
                return;
            }
            final var part = prevIndex == append.prevLogIndex() && records.lastIndex() == append.lastIndex()
                    ? append
                    : new AppendEntries(
                            append.from(),
                            append.to(),
                            append.term(),
                            prevIndex,
                            prevTerm,
                            records.lastIndex(),
                            append.entryTerm(),
                            append.leaderCommit(),
                            membershipsWithin(append, prevIndex, records.lastIndex()));
            link.sendRecords(to, part, records);
            prevIndex = records.lastIndex();
            prevTerm = append.entryTerm();
        }
    }

    /** The membership entries of {@code append} in {@code after + 1 .. last}; no list allocated if it has none. */
    static List<MembershipEntry> membershipsWithin(AppendEntries append, long after, long last) {
        if (append.memberships().isEmpty()) {
            return List.of();
        }
        final var within = new ArrayList<MembershipEntry>();
        for (MembershipEntry entry : append.memberships()) {
            if (entry.index() > after && entry.index() <= last) {
                within.add(entry);
            }
        }
        return within;
    }

    /** Drops what waits and closes the journal reader. */
    void close() {
        outbox.clear();
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }
}
