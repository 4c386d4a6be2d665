package dev.spool.itests.cluster;

import static dev.spool.itests.cluster.ClusterTestSupport.STARTUP;
import static dev.spool.itests.cluster.ClusterTestSupport.THREE;
import static dev.spool.itests.cluster.ClusterTestSupport.assertHolds;
import static dev.spool.itests.cluster.ClusterTestSupport.follower;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.itests.cluster.harness.ClusterHarness;
import dev.spool.itests.cluster.harness.ControlClient;
import dev.spool.itests.cluster.harness.MemberProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Proposals made on a follower travel to the leader over the peer link, many in flight at once; the members' codec
 * decodes into one reused object per thread, as an allocation-conscious application's does. Every proposal is
 * acknowledged and applied exactly once, in the same order, on every member, over plaintext and over mutual TLS.
 */
@ExtendWith(DiscardPassedData.class)
class ForwardedProposalsIT {

    /** A few seconds of load: enough to have many forwarded proposals decoded while earlier ones still wait. */
    private static final int ENTRIES = 20_000;

    private static final int PAYLOAD_BYTES = 64;
    private static final int IN_FLIGHT = 128;
    private static final Duration ELECTION = Duration.ofSeconds(30);
    private static final Duration CONVERGENCE = Duration.ofSeconds(60);

    /** How the members' peer links are carried. */
    enum Link {
        PLAINTEXT,
        TLS
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Link.class)
    @Timeout(300)
    @DisplayName("20,000 proposals forwarded by a follower with 128 in flight are applied once each, alike everywhere")
    void forwardedProposalsAreAppliedOnceEverywhere(Link link) throws Exception {
        final Path work = ClusterTestSupport.workDirectory("forwarded-" + link);
        try (ClusterHarness cluster =
                new ClusterHarness(work, ClusterTestSupport.memberClasspath(), THREE, List.of())) {
            if (link == Link.TLS) {
                final Map<String, List<String>> tls = ClusterTestSupport.tlsOptions(work.resolve("tls"), THREE);
                cluster.members().forEach(member -> member.memberOptions(tls.get(member.id())));
            }
            cluster.startAll(STARTUP);
            final MemberProcess leader = cluster.awaitLeader(ELECTION);
            final MemberProcess proposer = follower(cluster, leader);
            final AcknowledgedSequences acknowledged = new AcknowledgedSequences();

            final ControlClient.ProposeEnd end =
                    proposer.control().propose(0, ENTRIES, PAYLOAD_BYTES, IN_FLIGHT, acknowledged::add);
            assertTrue(
                    end.allAcknowledged(),
                    "proposals forwarded by " + proposer.id() + " to " + leader.id() + " did not all succeed: " + end);
            assertEquals(ENTRIES, acknowledged.count(), "acknowledged proposals");

            final Map<String, String> reference =
                    cluster.awaitLeader(ELECTION).control().read();
            assertEquals(Integer.toString(ENTRIES), reference.get("count"), "entries the leader applied");
            for (MemberProcess member : cluster.members()) {
                assertHolds(member, reference, acknowledged, CONVERGENCE);
            }
        }
    }
}
