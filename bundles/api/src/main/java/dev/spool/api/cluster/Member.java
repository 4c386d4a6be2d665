package dev.spool.api.cluster;

import java.util.Objects;

/**
 * One member of a Raft group.
 *
 * @param id the member's identity, unique within the cluster: 1 to 255 characters, no white space or control
 *     characters
 * @param voting whether the member votes and counts toward commit quorums; a non-voting member (learner) only
 *     receives the log
 * @param address where peers reach the member ({@code host:port}), or {@code ""} when no network is involved
 */
public record Member(String id, boolean voting, String address) {

    /** The longest member id, in characters. */
    public static final int MAX_ID_LENGTH = 255;

    /** The longest address, in characters. */
    public static final int MAX_ADDRESS_LENGTH = 1024;

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming the value that is not acceptable
     */
    public Member {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException(
                    "member id must have 1 to " + MAX_ID_LENGTH + " characters: '" + id + "'");
        }
        for (int i = 0; i < id.length(); i++) {
            final char c = id.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException(
                        "member id contains white space or a control character: '" + id + "'");
            }
        }
        if (address.length() > MAX_ADDRESS_LENGTH) {
            throw new IllegalArgumentException(
                    "address of member " + id + " is longer than " + MAX_ADDRESS_LENGTH + " characters");
        }
    }

    /**
     * Returns a voting member.
     *
     * @param id the member's id
     * @param address where peers reach it
     * @return the member
     */
    public static Member voter(String id, String address) {
        return new Member(id, true, address);
    }

    /**
     * Returns a non-voting member.
     *
     * @param id the member's id
     * @param address where peers reach it
     * @return the member
     */
    public static Member learner(String id, String address) {
        return new Member(id, false, address);
    }

    /**
     * Returns this member with another voting status.
     *
     * @param newVoting whether the copy votes
     * @return the copy
     */
    public Member withVoting(boolean newVoting) {
        return new Member(id, newVoting, address);
    }
}
