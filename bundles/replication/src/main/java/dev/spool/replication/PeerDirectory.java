package dev.spool.replication;

import dev.spool.api.cluster.Member;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who this member's peers are and where they listen: the configured peers (the bootstrap), and the members the
 * joined groups' logs name, with the addresses those memberships give. A configured peer's address is the
 * configured one; a learned member's is the one the latest membership naming it gave ({@code ""}, or a value that
 * is not {@code host:port}, is none: the member is known, so its handshake is accepted, but not dialled).
 *
 * <p>Threads: any; every method is synchronized (changes are rare: a membership change, a group joining or
 * leaving), and {@link #knows} is what an acceptor asks at each handshake.
 */
final class PeerDirectory {

    private static final System.Logger LOG = System.getLogger(PeerDirectory.class.getName());

    private final String self;
    private final Map<String, InetSocketAddress> configured;
    /** Per joined group, the other members its log names. */
    private final Map<String, Set<String>> named = new HashMap<>();
    /** Per learned member, the address the latest membership naming it gave, or {@code null} for none. */
    private final Map<String, InetSocketAddress> learned = new HashMap<>();

    PeerDirectory(String self, Map<String, InetSocketAddress> configured) {
        this.self = self;
        this.configured = Map.copyOf(configured);
    }

    /**
     * Tells whether a member is a peer: configured, or named by a joined group's membership.
     *
     * @param member the member id
     * @return whether a connection with it is wanted
     */
    synchronized boolean knows(String member) {
        return !member.equals(self) && (configured.containsKey(member) || learned.containsKey(member));
    }

    /**
     * Returns where a peer listens.
     *
     * @param member the member id
     * @return the configured address, else the learned one; {@code null} if none is known
     */
    synchronized InetSocketAddress address(String member) {
        final InetSocketAddress address = configured.get(member);
        return address != null ? address : learned.get(member);
    }

    /** @return how many peers are known from the groups' memberships alone (not configured) */
    synchronized int learnedCount() {
        return learned.size();
    }

    /**
     * Records whom a group's membership names now.
     *
     * @param group the group
     * @param members its members, this member among them
     * @return the peers whose address changed (or who were learned) and those no longer known
     */
    synchronized Change name(String group, List<Member> members) {
        final Map<String, InetSocketAddress> before = snapshot();
        final Set<String> ids = new HashSet<>();
        for (Member member : members) {
            if (!member.id().equals(self)) {
                ids.add(member.id());
                if (!configured.containsKey(member.id())) {
                    learned.put(member.id(), parse(group, member));
                }
            }
        }
        named.put(group, ids);
        forgetUnnamed();
        return Change.between(before, snapshot());
    }

    /**
     * Forgets the members a group named: it left the transport.
     *
     * @param group the group
     * @return the peers no longer known
     */
    synchronized Change forget(String group) {
        final Map<String, InetSocketAddress> before = snapshot();
        named.remove(group);
        forgetUnnamed();
        return Change.between(before, snapshot());
    }

    private void forgetUnnamed() {
        learned.keySet().removeIf(member -> named.values().stream().noneMatch(ids -> ids.contains(member)));
    }

    /** Every known peer and its address ({@code null} if none), for comparing before and after a change. */
    private Map<String, InetSocketAddress> snapshot() {
        final Map<String, InetSocketAddress> all = new HashMap<>(learned);
        all.putAll(configured);
        return all;
    }

    /** Reads a membership's {@code host:port}, unresolved (resolved at each connection attempt). */
    private static InetSocketAddress parse(String group, Member member) {
        final String address = member.address();
        if (address.isEmpty()) {
            return null;
        }
        final int colon = address.lastIndexOf(':');
        String host = colon > 0 ? address.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            final int port = Integer.parseInt(address.substring(colon + 1));
            if (!host.isEmpty() && port >= 1 && port <= 65535) {
                return InetSocketAddress.createUnresolved(host, port);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        LOG.log(
                Level.WARNING,
                "group {0}: member {1} has the address ''{2}'', not host:port; it is not dialled",
                group,
                member.id(),
                address);
        return null;
    }

    /**
     * What a change did to the known peers.
     *
     * @param readdressed the peers now known whose address is new or other than before ({@code null}: none)
     * @param forgotten the peers no longer known
     */
    record Change(Map<String, InetSocketAddress> readdressed, Set<String> forgotten) {

        static Change between(Map<String, InetSocketAddress> before, Map<String, InetSocketAddress> after) {
            final Map<String, InetSocketAddress> readdressed = new HashMap<>();
            after.forEach((member, address) -> {
                if (!before.containsKey(member) || !Objects.equals(before.get(member), address)) {
                    readdressed.put(member, address);
                }
            });
            final Set<String> forgotten = new HashSet<>(before.keySet());
            forgotten.removeAll(after.keySet());
            return new Change(readdressed, forgotten);
        }
    }
}
