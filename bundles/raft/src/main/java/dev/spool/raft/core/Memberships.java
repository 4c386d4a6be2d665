package dev.spool.raft.core;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.spi.raft.MembershipEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * The memberships recorded in the log: the one in effect at the log's base (from the snapshot, or the bootstrap
 * membership of an empty log) and every membership-change entry after it. The latest one appended is in effect,
 * committed or not (a single-server change takes effect when appended) and reverts if its entry is truncated.
 */
final class Memberships {

    private Membership base;
    private final List<MembershipEntry> entries = new ArrayList<>();

    Memberships(Membership base, List<MembershipEntry> logEntries) {
        this.base = base;
        entries.addAll(logEntries);
    }

    /** The membership in effect: the latest appended. */
    Membership current() {
        return entries.isEmpty() ? base : entries.get(entries.size() - 1).membership();
    }

    /** The index of the latest membership entry, or 0 if the membership in effect is the base one. */
    long currentIndex() {
        return entries.isEmpty() ? 0 : entries.get(entries.size() - 1).index();
    }

    /** The membership in effect at {@code index} (at or after the base). */
    Membership at(long index) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).index() <= index) {
                return entries.get(i).membership();
            }
        }
        return base;
    }

    /**
     * Whether {@code member} is named by the membership in effect at {@code index} or by any later one: the members
     * that may still take part from that point on (a change is undone if its entry is truncated, and a leader that
     * removed itself leads until its removal commits). Allocates nothing.
     */
    boolean namedSince(long index, String member) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            final MembershipEntry entry = entries.get(i);
            if (names(entry.membership(), member)) {
                return true;
            }
            if (entry.index() <= index) {
                return false; // the membership in effect at index: earlier ones no longer count
            }
        }
        return names(base, member);
    }

    private static boolean names(Membership membership, String member) {
        final List<Member> members = membership.members();
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).id().equals(member)) {
                return true;
            }
        }
        return false;
    }

    void append(MembershipEntry entry) {
        entries.add(entry);
    }

    /** Forgets the membership entries after {@code index}: their entries were truncated. */
    void truncateAfter(long index) {
        while (!entries.isEmpty() && entries.get(entries.size() - 1).index() > index) {
            entries.remove(entries.size() - 1);
        }
    }

    /** Folds the entries up to {@code index} into the base: the log no longer holds them. */
    void compactTo(long index) {
        base = at(index);
        entries.removeIf(entry -> entry.index() <= index);
    }

    /** Replaces everything by a snapshot's membership. */
    void reset(Membership membership) {
        base = membership;
        entries.clear();
    }

    /** The membership entries within {@code first .. last}, allocating nothing when there are none. */
    List<MembershipEntry> between(long first, long last) {
        List<MembershipEntry> found = List.of();
        for (MembershipEntry entry : entries) {
            if (entry.index() >= first && entry.index() <= last) {
                if (found.isEmpty()) {
                    found = new ArrayList<>(2);
                }
                found.add(entry);
            }
        }
        return found;
    }
}
