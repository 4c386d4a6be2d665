package dev.spool.api.cluster;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * The members of a Raft group at some point of its log: an immutable list with unique ids, in a stable order.
 * Snapshots record the membership at their last included index; membership-change entries in the log carry the
 * next one. A membership has at least one voting member.
 *
 * @param members the members, in the order they were added
 */
public record Membership(List<Member> members) {

    /** The most members a membership may have; a bound for decoders facing hostile input. */
    public static final int MAX_MEMBERS = 1024;

    /** The version of the {@link #writeTo} format. */
    private static final int FORMAT_VERSION = 1;

    /**
     * Checks the values and takes an immutable copy.
     *
     * @throws IllegalArgumentException if ids repeat, no member votes, or there are too many members
     */
    public Membership {
        members = List.copyOf(members);
        if (members.size() > MAX_MEMBERS) {
            throw new IllegalArgumentException(
                    "a membership has at most " + MAX_MEMBERS + " members, not " + members.size());
        }
        final var ids = new HashSet<String>();
        boolean anyVoter = false;
        for (Member member : members) {
            if (!ids.add(member.id())) {
                throw new IllegalArgumentException("member " + member.id() + " appears twice");
            }
            anyVoter |= member.voting();
        }
        if (!anyVoter) {
            throw new IllegalArgumentException("a membership needs at least one voting member: " + members);
        }
    }

    /**
     * Returns a membership of the given members.
     *
     * @param members the members
     * @return the membership
     */
    public static Membership of(Member... members) {
        return new Membership(List.of(members));
    }

    /**
     * Finds a member by id.
     *
     * @param id the member's id
     * @return the member, if present
     */
    public Optional<Member> member(String id) {
        for (Member member : members) {
            if (member.id().equals(id)) {
                return Optional.of(member);
            }
        }
        return Optional.empty();
    }

    /**
     * Tells whether a member with this id is present.
     *
     * @param id the member's id
     * @return whether it belongs to the membership
     */
    public boolean contains(String id) {
        return member(id).isPresent();
    }

    /**
     * Tells whether a member with this id is present and votes.
     *
     * @param id the member's id
     * @return whether it is a voting member
     */
    public boolean isVoter(String id) {
        return member(id).map(Member::voting).orElse(false);
    }

    /**
     * Returns the voting members, in order.
     *
     * @return the voters
     */
    public List<Member> voters() {
        final var voters = new ArrayList<Member>(members.size());
        for (Member member : members) {
            if (member.voting()) {
                voters.add(member);
            }
        }
        return Collections.unmodifiableList(voters);
    }

    /**
     * Returns how many voting members make a majority.
     *
     * @return the quorum size
     */
    public int quorum() {
        int voters = 0;
        for (Member member : members) {
            if (member.voting()) {
                voters++;
            }
        }
        return voters / 2 + 1;
    }

    /**
     * Returns this membership with {@code member} added, or replacing the member with the same id in place.
     *
     * @param member the member to add or update
     * @return the new membership
     */
    public Membership with(Member member) {
        final var next = new ArrayList<Member>(members.size() + 1);
        boolean replaced = false;
        for (Member existing : members) {
            if (existing.id().equals(member.id())) {
                next.add(member);
                replaced = true;
            } else {
                next.add(existing);
            }
        }
        if (!replaced) {
            next.add(member);
        }
        return new Membership(next);
    }

    /**
     * Returns this membership without the member {@code id}.
     *
     * @param id the member to remove
     * @return the new membership
     * @throws IllegalArgumentException if that would leave no voting member
     */
    public Membership without(String id) {
        final var next = new ArrayList<Member>(members.size());
        for (Member existing : members) {
            if (!existing.id().equals(id)) {
                next.add(existing);
            }
        }
        return new Membership(next);
    }

    /**
     * Writes this membership in its stable binary form: a format version, the member count, then each member's id,
     * voting flag and address.
     *
     * @param out where to write
     * @throws IOException if the output fails
     */
    public void writeTo(DataOutput out) throws IOException {
        out.writeByte(FORMAT_VERSION);
        out.writeShort(members.size());
        for (Member member : members) {
            out.writeUTF(member.id());
            out.writeBoolean(member.voting());
            out.writeUTF(member.address());
        }
    }

    /**
     * Reads a membership written by {@link #writeTo}, treating the input as untrusted: counts and lengths are
     * bounded and every value is checked.
     *
     * @param in where to read
     * @return the membership
     * @throws InvalidObjectException naming what is wrong if the bytes do not form a valid membership
     * @throws IOException if the input fails or ends early
     */
    public static Membership readFrom(DataInput in) throws IOException {
        final int version = in.readUnsignedByte();
        if (version != FORMAT_VERSION) {
            throw new InvalidObjectException("unsupported membership format version " + version);
        }
        final int count = in.readUnsignedShort();
        if (count > MAX_MEMBERS) {
            throw new InvalidObjectException("membership of " + count + " members exceeds " + MAX_MEMBERS);
        }
        final var read = new ArrayList<Member>(count);
        for (int i = 0; i < count; i++) {
            final String id = in.readUTF();
            final boolean voting = in.readBoolean();
            final String address = in.readUTF();
            try {
                read.add(new Member(id, voting, address));
            } catch (IllegalArgumentException e) {
                throw invalid("member " + i, e);
            }
        }
        try {
            return new Membership(read);
        } catch (IllegalArgumentException e) {
            throw invalid("membership", e);
        }
    }

    private static InvalidObjectException invalid(String what, IllegalArgumentException cause) {
        final var failure = new InvalidObjectException("invalid " + what + ": " + cause.getMessage());
        failure.initCause(cause);
        return failure;
    }
}
