package dev.spool.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import dev.spool.api.cluster.Member;
import dev.spool.api.health.HealthIndicator;
import dev.spool.api.spi.journal.RawRecords;
import dev.spool.api.spi.raft.ForwardProposal;
import dev.spool.api.spi.raft.Heartbeat;
import dev.spool.api.spi.raft.HeartbeatResponse;
import dev.spool.api.spi.raft.RaftMessage;
import dev.spool.api.spi.replication.GroupInbox;
import dev.spool.api.spi.replication.GroupLink;
import dev.spool.api.spi.replication.ReceivedBytes;
import dev.spool.api.spi.replication.ReplicationStreamer;
import dev.spool.replication.NettyReplicationStreamer;
import dev.spool.replication.StreamerSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The replication transport as a Karaf user meets it: the {@code spool-replication} feature brings the bundle and
 * Netty's, the service exists only while {@code dev.spool.replication} is configured, and the published transport
 * talks to a plain {@link NettyReplicationStreamer} (a second member, run inside the test) in both directions.
 *
 * <p>The configured member is {@code member-1}, the member id of the distribution's default group, which binds the
 * transport as soon as it is published. Karaf's write-back of changed configurations to {@code etc/} is off (see
 * {@link SpoolKarafOptions#distributionWithoutConfigSave()}).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ReplicationStreamerIT {
    private static final String PID = "dev.spool.replication";
    private static final String LOCAL = "member-1";
    private static final String PEER = "member-2";
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final long DELIVERY_TIMEOUT_MILLIS = 30_000;

    @Inject
    private BundleContext context;

    @Inject
    private FeaturesService features;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Configuration
    public Option[] configuration() {
        return SpoolKarafOptions.distributionWithoutConfigSave();
    }

    /** The umbrella feature includes {@code spool-replication}; the bundle and every Netty bundle are active. */
    @Test
    public void featureBringsTheBundleAndNetty() throws Exception {
        assertTrue("spool-replication installed", features.isInstalled(features.getFeature("spool-replication")));
        final OsgiServices services = new OsgiServices(context);
        for (String bundle : List.of(
                "dev.spool.replication",
                "io.netty.common",
                "io.netty.buffer",
                "io.netty.resolver",
                "io.netty.transport",
                "io.netty.transport-native-unix-common",
                "io.netty.codec",
                "io.netty.handler")) {
            assertEquals(
                    bundle + " active", Bundle.ACTIVE, services.bundle(bundle).getState());
        }
    }

    /**
     * Without a configuration there is no transport; configuring it publishes one that exchanges messages with a
     * peer both ways; a changed port re-publishes it there; a wrong value withdraws it until a good one comes;
     * deleting the configuration withdraws it.
     */
    @Test
    public void serviceFollowsItsConfiguration() throws Exception {
        final OsgiServices services = new OsgiServices(context);
        assertNull("no transport without a configuration", context.getServiceReference(ReplicationStreamer.class));

        final org.osgi.service.cm.Configuration configuration = configurationAdmin.getConfiguration(PID, null);
        try (NettyReplicationStreamer peer = new NettyReplicationStreamer(StreamerSettings.of(
                "spool",
                PEER,
                new InetSocketAddress(LOOPBACK, 0),
                Map.of(LOCAL, new InetSocketAddress(LOOPBACK, 0))))) {
            // member-1 sorts first, so the configured transport dials the peer, and the peer only accepts.
            final Inbox atPeer = new Inbox();
            final GroupLink fromPeer = peer.join("it", Member.voter(PEER, ""), atPeer);

            final int firstPort = freePort();
            configuration.update(properties(firstPort, peer.localAddress().getPort()));
            final ReplicationStreamer first = services.await(ReplicationStreamer.class, reference -> true);
            assertListening(firstPort);
            exchange(first, fromPeer, atPeer, 1);

            final long firstId = services.serviceId(ReplicationStreamer.class);
            final int secondPort = freePort();
            configuration.update(properties(secondPort, peer.localAddress().getPort()));
            final ReplicationStreamer second = services.await(
                    ReplicationStreamer.class, reference -> (Long) reference.getProperty("service.id") != firstId);
            assertListening(secondPort);
            awaitReleased(firstPort);
            exchange(second, fromPeer, atPeer, 2);

            // ConfigAdmin hands each update to Declarative Services in order, and the component re-creates itself
            // within that call: once the good value's registration has been heard, every registration the wrong
            // value caused has been heard before it, whatever the timing. (Not once the good value's service can be
            // seen: the registry shows a service before its REGISTERED event reaches the listeners.)
            final List<String> events = new CopyOnWriteArrayList<>();
            final ServiceListener recorder = event -> events.add(
                    event.getType() == ServiceEvent.REGISTERED
                            ? "registered"
                            : event.getType() == ServiceEvent.UNREGISTERING ? "unregistering" : "modified");
            context.addServiceListener(recorder, "(objectClass=" + ReplicationStreamer.class.getName() + ")");
            try {
                final Dictionary<String, Object> selfAsPeer =
                        properties(secondPort, peer.localAddress().getPort());
                selfAsPeer.put("peers", new String[] {LOCAL + "=" + LOOPBACK.getHostAddress() + ":" + secondPort});
                configuration.update(selfAsPeer);
                services.awaitAbsent(ReplicationStreamer.class); // a wrong value publishes nothing
                awaitReleased(secondPort);
                final String transport = ReplicationStreamer.class.getName();
                final HealthIndicator refusal = services.await(
                        HealthIndicator.class,
                        reference -> transport.equals(reference.getProperty(HealthIndicator.SUBJECT_PROPERTY)));
                assertEquals(
                        "the refusal is the transport's health, which a group names",
                        "configuration " + PID
                                + ": peers=" + LOCAL + "=" + LOOPBACK.getHostAddress() + ":" + secondPort
                                + " names this member"
                                + " (memberId=" + LOCAL + "); list only the others",
                        refusal.health().cause());

                configuration.update(properties(secondPort, peer.localAddress().getPort()));
                awaitEvent(events, "registered");
                services.await(ReplicationStreamer.class, reference -> true);
                assertListening(secondPort);
            } finally {
                context.removeServiceListener(recorder);
            }
            assertEquals(
                    "the wrong value withdrew the transport and published none until the good one",
                    List.of("unregistering", "registered"),
                    events);
            configuration.delete();
            services.awaitAbsent(ReplicationStreamer.class);
            awaitReleased(secondPort); // the service goes before its component deactivates and stops listening
        } finally {
            if (configurationAdmin.listConfigurations("(service.pid=" + PID + ")") != null) {
                configuration.delete();
            }
        }
    }

    private static Dictionary<String, Object> properties(int listenPort, int peerPort) {
        final Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("memberId", LOCAL);
        properties.put("listenHost", LOOPBACK.getHostAddress());
        properties.put("listenPort", listenPort);
        properties.put("peers", new String[] {PEER + "=" + LOOPBACK.getHostAddress() + ":" + peerPort});
        properties.put("initialBackoffMillis", 20L);
        properties.put("maxBackoffMillis", 200L);
        return properties;
    }

    /**
     * Joins a group of the term's number on the published transport and has each side deliver a message to the
     * other: a heartbeat to the peer, its response back. Messages sent before the connection stands are dropped, so
     * each is resent until it arrives; copies left over from an earlier exchange are passed over.
     */
    private static void exchange(ReplicationStreamer published, GroupLink fromPeer, Inbox atPeer, long term)
            throws InterruptedException {
        final Inbox atLocal = new Inbox();
        try (GroupLink fromLocal = published.join("it", Member.voter(LOCAL, ""), atLocal)) {
            final Heartbeat heartbeat = new Heartbeat(LOCAL, PEER, term, 0, term);
            assertDelivered(heartbeat, () -> fromLocal.send(Member.voter(PEER, ""), heartbeat), atPeer);
            final HeartbeatResponse response = new HeartbeatResponse(PEER, LOCAL, term, term, 0);
            assertDelivered(response, () -> fromPeer.send(Member.voter(LOCAL, ""), response), atLocal);
        }
    }

    private static void assertDelivered(RaftMessage expected, Runnable send, Inbox inbox) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DELIVERY_TIMEOUT_MILLIS);
        while (System.nanoTime() < deadline) {
            send.run();
            for (RaftMessage received = inbox.messages.poll(100, TimeUnit.MILLISECONDS);
                    received != null;
                    received = inbox.messages.poll()) {
                if (received.equals(expected)) {
                    return;
                }
            }
        }
        throw new AssertionError(expected + " not delivered within " + DELIVERY_TIMEOUT_MILLIS + " ms");
    }

    private static void assertListening(int port) throws IOException {
        new Socket(LOOPBACK, port).close();
    }

    /** Waits until the listener has recorded {@code event}; a hang guard bounds it, not a timing assertion. */
    private static void awaitEvent(List<String> events, String event) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DELIVERY_TIMEOUT_MILLIS);
        while (!events.contains(event)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + event + " event within " + DELIVERY_TIMEOUT_MILLIS + " ms: " + events);
            }
            Thread.sleep(10);
        }
    }

    private static void awaitReleased(int port) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DELIVERY_TIMEOUT_MILLIS);
        while (System.nanoTime() < deadline) {
            try {
                assertListening(port);
            } catch (IOException e) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("port " + port + " still listens " + DELIVERY_TIMEOUT_MILLIS + " ms after its"
                + " transport was withdrawn");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, LOOPBACK)) {
            return socket.getLocalPort();
        }
    }

    /** Keeps what a group receives; this test sends no records, snapshot chunks or forwarded proposals. */
    private static final class Inbox implements GroupInbox {
        final BlockingQueue<RaftMessage> messages = new LinkedBlockingQueue<>();

        @Override
        public boolean deliver(RaftMessage message) {
            return messages.offer(message);
        }

        @Override
        public boolean deliverRecords(RaftMessage message, RawRecords records) {
            records.release();
            return false;
        }

        @Override
        public boolean deliverSnapshotChunk(RaftMessage message, ReceivedBytes chunk) {
            chunk.release();
            return false;
        }

        @Override
        public boolean deliverForwardedProposal(ForwardProposal message, ReceivedBytes payload) {
            payload.release();
            return false;
        }
    }
}
