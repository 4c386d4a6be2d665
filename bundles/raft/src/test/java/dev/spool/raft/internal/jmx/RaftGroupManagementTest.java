package dev.spool.raft.internal.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.codec.EntrySink;
import dev.spool.api.codec.EntrySource;
import dev.spool.api.codec.PayloadCodec;
import dev.spool.api.group.Durability;
import dev.spool.api.group.GroupRole;
import dev.spool.api.group.ProposalCallback;
import dev.spool.api.group.RaftGroupException;
import dev.spool.api.group.StateMachine;
import dev.spool.api.health.Health;
import dev.spool.api.health.HealthIndicator;
import dev.spool.api.spi.journal.JournalSpec;
import dev.spool.api.spi.snapshot.SnapshotCompression;
import dev.spool.journal.MappedJournalService;
import dev.spool.raft.group.GroupMember;
import dev.spool.raft.group.GroupSettings;
import dev.spool.raft.pipeline.AgentRunner;
import dev.spool.snapshot.FileSnapshotStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A group's MXBean as a JMX client sees it through the platform MBean server: open types only. */
@Timeout(60)
class RaftGroupManagementTest {

    @TempDir
    Path directory;

    @Test
    @DisplayName(
            "attributes follow proposals; takeSnapshot snapshots at the applied index; a refused transfer is one line"
                    + " naming the group")
    void throughThePlatformServer() throws Exception {
        final AgentRunner runner = AgentRunner.start("raft", 3, 1_000_000, (agent, error) -> error.printStackTrace());
        final var journals = new MappedJournalService(
                directory.resolve("journal"), new JournalSpec(Durability.NONE, 64 << 10, 32 << 10), 0);
        final var snapshots = new FileSnapshotStore(directory.resolve("snapshots"), 2, SnapshotCompression.NONE);
        final var group = new GroupMember<>(
                GroupSettings.singleMember("jmx-group", "m1", Durability.NONE).withTickNanos(1_000_000),
                new Counting(),
                new Bytes(),
                runner,
                System::nanoTime);
        final HealthIndicator health = new HealthIndicator() {
            @Override
            public String subject() {
                return "group jmx-group";
            }

            @Override
            public Health health() {
                return group.health();
            }
        };
        final ObjectName name = MBeans.name("RaftGroup", "jmx-group");
        assertEquals("dev.spool:type=RaftGroup,name=jmx-group", name.toString());
        assertEquals(
                "dev.spool:type=Member,name=\"a,b\"",
                MBeans.name("Member", "a,b").toString());
        final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        assertTrue(MBeans.register(new RaftGroupManagement(group, group::counters, health, () -> 0), name));
        try {
            assertEquals("UNAVAILABLE", server.getAttribute(name, "Role"));
            assertEquals(false, server.getAttribute(name, "Healthy"));
            group.start(journals, snapshots, null);
            await(() -> group.role() == GroupRole.LEADER);
            final long before = (Long) server.getAttribute(name, "CommitIndex");
            final var applied = new CountDownLatch(10);
            for (int i = 0; i < 10; i++) {
                group.propose(new byte[] {(byte) i}, 5, TimeUnit.SECONDS, new ProposalCallback() {
                    @Override
                    public void applied(long index, Object result) {
                        applied.countDown();
                    }

                    @Override
                    public void failed(RaftGroupException error) {}
                });
            }
            assertTrue(applied.await(10, TimeUnit.SECONDS));
            await(() -> group.counters().proposals() == 10);
            final long commit = (Long) server.getAttribute(name, "CommitIndex");
            assertTrue(commit >= before + 10, "commit index " + before + " before, " + commit + " after");
            assertEquals(group.commitIndex(), commit);
            assertEquals(10L, server.getAttribute(name, "Proposals"));
            assertEquals(1L, server.getAttribute(name, "Elections"));
            assertEquals("LEADER", server.getAttribute(name, "Role"));
            assertEquals("m1", server.getAttribute(name, "Leader"));
            assertEquals(true, server.getAttribute(name, "Healthy"));
            assertEquals("", server.getAttribute(name, "HealthCause"));
            assertEquals("NONE", server.getAttribute(name, "Durability"));
            assertEquals(1, server.getAttribute(name, "JournalSegments"));
            assertTrue((Long) server.getAttribute(name, "JournalBytes") > 0);
            assertTrue(((TabularData) server.getAttribute(name, "FollowerMatchIndex")).isEmpty(), "no follower");

            final long snapshot = (Long) server.invoke(name, "takeSnapshot", new Object[0], new String[0]);
            assertEquals(group.appliedIndex(), snapshot);
            assertEquals(
                    snapshot,
                    snapshots.latest("jmx-group").orElseThrow().metadata().lastIndex());
            final var refused = assertThrows(
                    RuntimeMBeanException.class,
                    () -> server.invoke(
                            name, "transferLeadership", new Object[] {"m9"}, new String[] {String.class.getName()}));
            assertTrue(
                    refused.getCause() instanceof IllegalStateException
                            && refused.getCause().getMessage().contains("group jmx-group"),
                    refused.getCause()::toString);
            group.stop();
            assertEquals(
                    "group jmx-group: not running: its journal or snapshot store is not bound",
                    server.getAttribute(name, "HealthCause"));
        } finally {
            MBeans.unregister(name);
            group.stop();
            runner.close();
            journals.close();
            snapshots.close();
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(5);
        }
    }

    private static final class Bytes implements PayloadCodec<byte[]> {
        @Override
        public void encode(byte[] payload, EntrySink sink) throws IOException {
            sink.write(payload);
        }

        @Override
        public byte[] decode(EntrySource source) throws IOException {
            final byte[] payload = new byte[source.remaining()];
            source.readFully(payload);
            return payload;
        }

        @Override
        public int encodedSize(byte[] payload) {
            return payload.length;
        }
    }

    private static final class Counting implements StateMachine<byte[]> {
        private long count;

        @Override
        public Object apply(long index, byte[] payload) {
            return ++count;
        }

        @Override
        public void writeSnapshot(OutputStream out) throws IOException {
            out.write(new byte[] {(byte) count});
        }

        @Override
        public void restore(InputStream in, int formatVersion) throws IOException {
            count = in.read();
        }

        @Override
        public void reset() {
            count = 0;
        }
    }
}
