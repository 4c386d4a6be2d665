package dev.spool.raft.sim;

import dev.spool.raft.core.Role;
import java.util.HashMap;
import java.util.Map;

/**
 * Checks Raft's safety properties (Figure 3 of the paper) over a simulation, after every step:
 * <ul>
 *   <li>election safety: at most one leader per term;</li>
 *   <li>log matching: an index and term identify one entry, and the entries before it (every appended entry must
 *   follow, in the member's log, the entry it followed in its creator's log);</li>
 *   <li>leader completeness: a leader's log holds every entry committed in an earlier term;</li>
 *   <li>state machine safety: no two members apply different entries at one index.</li>
 * </ul>
 * Committed entries are learnt from every member's commit index; applied entries must be committed ones.
 */
final class SafetyChecker {

    private final Map<Long, String> leaders = new HashMap<>();
    private final Map<String, SimEntry> byIndexAndTerm = new HashMap<>();
    private final Map<Long, SimEntry> committed = new HashMap<>();
    /** For each committed index, the lowest term a member had when it saw the entry committed: the entry was
     *  committed in that term or earlier, so every leader of a later term must hold it. */
    private final Map<Long, Long> committedBy = new HashMap<>();

    private long highestCommitted;
    private final Map<String, Long> checkedCommit = new HashMap<>();
    private final Map<String, Long> checkedLeaderTerm = new HashMap<>();

    /** Log matching, checked when an entry is appended. */
    void appended(SimMember member, SimEntry entry) {
        final SimEntry known = byIndexAndTerm.putIfAbsent(entry.index() + "@" + entry.term(), entry);
        if (known != null && known != entry) {
            throw new AssertionError("log matching: two entries at index " + entry.index() + " term " + entry.term()
                    + ": " + known + " and " + entry);
        }
        final SimLog log = member.log();
        if (entry.previous() != null && log.has(entry.index() - 1) && log.get(entry.index() - 1) != entry.previous()) {
            throw new AssertionError("log matching: " + member.id() + " holds " + log.get(entry.index() - 1)
                    + " before " + entry + ", whose leader held " + entry.previous());
        }
    }

    /** State machine safety, checked when an entry is applied. */
    void applied(SimMember member, SimEntry entry) {
        commit(member, entry);
    }

    /** Election safety, commitment and leader completeness, checked after every step. */
    void check(Iterable<SimMember> members) {
        for (SimMember member : members) {
            if (!member.isUp()) {
                continue;
            }
            final var core = member.core();
            final long from = Math.max(
                    checkedCommit.getOrDefault(member.id(), 0L), member.log().firstIndex() - 1);
            final long to = Math.min(core.commitIndex(), member.log().lastIndex());
            for (long i = from + 1; i <= to; i++) {
                commit(member, member.log().get(i));
            }
            checkedCommit.put(member.id(), Math.max(from, to));
            if (core.role() == Role.LEADER) {
                final String other = leaders.putIfAbsent(core.term(), member.id());
                if (other != null && !other.equals(member.id())) {
                    throw new AssertionError(
                            "election safety: " + other + " and " + member.id() + " both lead term " + core.term());
                }
                if (checkedLeaderTerm.getOrDefault(member.id(), -1L) != core.term()
                        || highestCommitted > checkedCommit.get(member.id())) {
                    checkLeaderCompleteness(member);
                    checkedLeaderTerm.put(member.id(), core.term());
                }
            }
        }
    }

    /** Forgets what a member was checked against: it restarted and relearns its commit index. */
    void restarted(SimMember member) {
        checkedCommit.remove(member.id());
        checkedLeaderTerm.remove(member.id());
    }

    private void checkLeaderCompleteness(SimMember leader) {
        final SimLog log = leader.log();
        for (long i = log.firstIndex(); i <= highestCommitted; i++) {
            final SimEntry entry = committed.get(i);
            if (entry == null || committedBy.get(i) >= leader.core().term()) {
                continue;
            }
            if (!log.has(i) || log.get(i) != entry) {
                throw new AssertionError("leader completeness: leader " + leader.id() + " of term "
                        + leader.core().term() + " lacks committed entry " + entry + " (holds "
                        + (log.has(i) ? log.get(i) : "nothing") + ")");
            }
        }
    }

    private void commit(SimMember member, SimEntry entry) {
        final SimEntry known = committed.putIfAbsent(entry.index(), entry);
        if (known != null && known != entry) {
            throw new AssertionError("state machine safety: " + member.id() + " commits " + entry + " at index "
                    + entry.index() + " where " + known + " was committed");
        }
        committedBy.merge(entry.index(), member.core().term(), Math::min);
        highestCommitted = Math.max(highestCommitted, entry.index());
    }

    /** @return the highest index known committed */
    long highestCommitted() {
        return highestCommitted;
    }
}
