package dev.spool.raft.core;

import dev.spool.api.cluster.Membership;
import dev.spool.api.spi.raft.RaftMessage;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** A few {@link TestMember}s and a reliable, instantaneous network between them, with an optional filter. */
final class TestCluster {

    final Map<String, TestMember> members = new LinkedHashMap<>();
    /** Messages for which this returns true are dropped. */
    Predicate<RaftMessage> drop = message -> false;

    /** A cluster of default members; with no ids, an empty one to fill by hand. */
    TestCluster(String... ids) {
        if (ids.length == 0) {
            return;
        }
        final Membership membership = TestMember.voters(ids);
        for (String id : ids) {
            members.put(id, new TestMember(id, membership));
        }
    }

    /** Members a, b and c, with a elected and its no-op committed everywhere. */
    static TestCluster elected() {
        final TestCluster cluster = new TestCluster("a", "b", "c");
        cluster.elect("a");
        cluster.heartbeat("a");
        return cluster;
    }

    TestMember get(String id) {
        return members.get(id);
    }

    /** Lets {@code id} time out and delivers everything that follows. */
    void elect(String id) {
        final TestMember member = get(id);
        member.tick(2 * TestMember.ELECTION);
        deliver(member.drain());
    }

    /** Delivers messages and their consequences until the network is quiet. */
    void deliver(Collection<RaftMessage> messages) {
        final var queue = new ArrayDeque<>(messages);
        while (!queue.isEmpty()) {
            final RaftMessage message = queue.poll();
            final TestMember target = members.get(message.to());
            if (target != null && !drop.test(message)) {
                queue.addAll(target.step(message));
            }
        }
    }

    /** One heartbeat round: the leader ticks, everything is delivered. */
    void heartbeat(String leader) {
        final TestMember member = get(leader);
        member.tick(1);
        deliver(member.drain());
    }

    /** Proposes {@code count} entries at the leader and delivers. */
    List<RaftMessage> propose(String leader, int count) {
        final TestMember member = get(leader);
        for (int i = 0; i < count; i++) {
            if (member.core.propose() == 0) {
                throw new AssertionError(leader + " refused a proposal");
            }
        }
        final List<RaftMessage> sent = member.drain();
        deliver(sent);
        return sent;
    }
}
