package dev.spool.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.spi.snapshot.Snapshot;
import dev.spool.api.spi.snapshot.SnapshotDescriptor;
import dev.spool.api.spi.snapshot.SnapshotMetadata;
import dev.spool.api.spi.snapshot.SnapshotReceiver;
import dev.spool.api.spi.snapshot.SnapshotStore;
import dev.spool.api.spi.snapshot.SnapshotWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
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

/**
 * The snapshot store as a Karaf user meets it: {@code spool-snapshot} is installed, an application gets
 * {@link SnapshotStore} injected, writes a 100 MiB snapshot by streaming, reads it back, transfers it in chunks as a
 * leader would to a follower, and finds it again after the snapshot bundle restarts.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SnapshotStoreIT {
    private static final String SNAPSHOT_BUNDLE = "dev.spool.snapshot";
    private static final String GROUP = "itest-shard";
    private static final String FOLLOWER_GROUP = "itest-shard-follower";
    private static final long SIZE = 100L << 20;
    private static final int CHUNK = 1 << 20;

    @Inject
    private BundleContext context;

    @Inject
    private FeaturesService features;

    private SnapshotStore store;

    @Configuration
    public Option[] configuration() {
        return SpoolKarafOptions.distribution();
    }

    /** A 100 MiB snapshot streams in, reads back intact, and is still the latest after a bundle restart. */
    @Test
    public void snapshotSurvivesARestartOfTheSnapshotBundle() throws Exception {
        assertTrue("spool-snapshot installed", features.isInstalled(features.getFeature("spool-snapshot")));
        final Membership membership = Membership.of(Member.voter("member-1", ""));
        final SnapshotMetadata metadata = new SnapshotMetadata(1_000, 3, membership, 1);
        final SnapshotDescriptor written;
        final OsgiServices services = new OsgiServices(context);
        store = services.awaitConfigured(SnapshotStore.class);
        try (SnapshotWriter writer = store.create(GROUP, metadata)) {
            final OutputStream out = writer.outputStream();
            final byte[] block = new byte[64 << 10];
            final ContentPattern pattern = new ContentPattern();
            for (long done = 0; done < SIZE; done += block.length) {
                pattern.fill(block);
                out.write(block);
            }
            written = writer.commit();
        }
        assertEquals(1_000, written.lastIndex());
        verifyLatest(metadata);

        final long before = services.serviceId(SnapshotStore.class);
        final Bundle bundle = services.bundle(SNAPSHOT_BUNDLE);
        bundle.stop();
        bundle.start();
        store = services.await(SnapshotStore.class, reference -> (Long) reference.getProperty("service.id") != before);
        verifyLatest(metadata);
    }

    private void verifyLatest(SnapshotMetadata expected) throws IOException {
        try (Snapshot snapshot = store.latest(GROUP).orElseThrow(() -> new AssertionError("no snapshot found"))) {
            assertEquals(expected.lastIndex(), snapshot.metadata().lastIndex());
            assertEquals(expected.lastTerm(), snapshot.metadata().lastTerm());
            assertEquals(expected.membership(), snapshot.metadata().membership());
            assertStreamMatchesPattern(snapshot);
            assertChunkTransferReproducesTheSnapshot(snapshot);
        }
    }

    private static void assertStreamMatchesPattern(Snapshot snapshot) throws IOException {
        final ContentPattern pattern = new ContentPattern();
        final byte[] expected = new byte[64 << 10];
        final byte[] actual = new byte[64 << 10];
        long total = 0;
        try (InputStream in = snapshot.openStream()) {
            while (total < SIZE) {
                pattern.fill(expected);
                int read = 0;
                while (read < actual.length) {
                    final int n = in.read(actual, read, actual.length - read);
                    if (n < 0) {
                        throw new AssertionError("snapshot ended after " + (total + read) + " bytes");
                    }
                    read += n;
                }
                if (!java.util.Arrays.equals(expected, actual)) {
                    throw new AssertionError("snapshot content differs in the block at " + total);
                }
                total += read;
            }
            assertEquals("nothing after the content", -1, in.read());
        }
    }

    /** Sends the snapshot in chunks, as a leader to a lagging follower, and checks the copy the receiver publishes. */
    private void assertChunkTransferReproducesTheSnapshot(Snapshot snapshot) throws IOException {
        final ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
        try (SnapshotReceiver receiver = store.receive(FOLLOWER_GROUP, snapshot.descriptor())) {
            long offset = receiver.nextOffset();
            while (offset < snapshot.descriptor().size()) {
                chunk.clear();
                final int read = snapshot.read(offset, chunk);
                assertTrue("chunk read at " + offset + " made progress", read > 0);
                chunk.flip();
                offset = receiver.accept(offset, chunk);
            }
            try (Snapshot copy = receiver.complete()) {
                assertEquals(snapshot.descriptor(), copy.descriptor());
                assertStreamMatchesPattern(copy);
            }
        }
    }

    /** Deterministic, incompressible-looking content (xorshift), so a misplaced block is caught. */
    private static final class ContentPattern {
        private long state = 0x9E3779B97F4A7C15L;

        void fill(byte[] block) {
            for (int i = 0; i < block.length; i += 8) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                for (int b = 0; b < 8; b++) {
                    block[i + b] = (byte) (state >>> (b * 8));
                }
            }
        }
    }
}
