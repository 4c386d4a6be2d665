package dev.spool.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import dev.spool.api.group.GroupRole;
import dev.spool.api.group.RaftGroup;
import dev.spool.api.group.StorageUnavailableException;
import dev.spool.api.spi.journal.JournalService;
import dev.spool.api.spi.snapshot.SnapshotStore;
import dev.spool.example.kv.KeyValueStore;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.apache.karaf.features.FeaturesService;
import org.junit.Before;
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
 * The Raft actor as a Karaf user meets it: the distribution, with no configuration of its own, runs the
 * single-member group {@code default} serving the example key-value store; the group survives losing its journal
 * service (unavailable meanwhile, failing fast) and an update of the Raft bundle itself, without losing a committed
 * write.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RaftGroupIT {
    private static final String JOURNAL_BUNDLE = "dev.spool.journal";
    private static final String RAFT_BUNDLE = "dev.spool.raft";
    private static final int WRITES = 200;

    @Inject
    private BundleContext context;

    @Inject
    private FeaturesService features;

    @Inject
    private KeyValueStore store;

    @Inject
    private RaftGroup<?> group;

    @Configuration
    public Option[] configuration() {
        return SpoolKarafOptions.distribution();
    }

    /**
     * Waits until the storage services run on their configuration files: until then the group may lead on services
     * that are about to be replaced, and a write would meet the restart that follows.
     */
    @Before
    public void storageConfigured() throws InterruptedException {
        final OsgiServices services = new OsgiServices(context);
        services.awaitConfigured(JournalService.class);
        services.awaitConfigured(SnapshotStore.class);
    }

    /** The umbrella feature brings the Raft and example features; the default group leads and serves writes. */
    @Test
    public void defaultGroupServesTheExampleStore() throws Exception {
        assertTrue("spool-raft installed", features.isInstalled(features.getFeature("spool-raft")));
        assertTrue("spool-example-kv installed", features.isInstalled(features.getFeature("spool-example-kv")));
        awaitLeader(group);
        assertEquals("default", group.name());
        assertEquals(Optional.empty(), await(store.put("greeting", "hello")));
        assertEquals(Optional.of("hello"), await(store.get("greeting")));
        assertEquals(Optional.of("hello"), await(store.put("greeting", "hi")));
        assertEquals(Optional.of("hi"), await(store.get("greeting")));
    }

    /**
     * Stopping the journal bundle makes the group unavailable (writes fail at once with a storage-unavailable
     * error); starting it again resumes the group with every committed write present.
     */
    @Test
    public void groupPausesWithoutItsJournalAndResumes() throws Exception {
        awaitLeader(group);
        writeAll("journal-");
        final Bundle journal = new OsgiServices(context).bundle(JOURNAL_BUNDLE);
        journal.stop();
        try {
            assertEquals(GroupRole.UNAVAILABLE, group.role());
            final long before = System.nanoTime();
            try {
                await(store.put("journal-lost", "x"));
                fail("a write without a journal must fail");
            } catch (ExecutionException e) {
                assertTrue("storage unavailable: " + e.getCause(), e.getCause() instanceof StorageUnavailableException);
            }
            assertTrue("fails fast", System.nanoTime() - before < TimeUnit.SECONDS.toNanos(1));
        } finally {
            journal.start();
        }
        awaitLeader(group);
        readAll(store, "journal-");
        assertEquals(Optional.empty(), await(store.get("journal-lost")));
    }

    /** Updating the Raft bundle itself restarts the group from disk with its data intact. */
    @Test
    @SuppressWarnings({"rawtypes", "unchecked"}) // the registry knows the group by its erased type
    public void raftBundleUpdateKeepsTheData() throws Exception {
        awaitLeader(group);
        writeAll("update-");
        final OsgiServices services = new OsgiServices(context);
        final long storeBefore = services.serviceId(KeyValueStore.class);
        services.bundle(RAFT_BUNDLE).update();
        final KeyValueStore restarted = services.await(
                KeyValueStore.class, reference -> (Long) reference.getProperty("service.id") != storeBefore);
        final RaftGroup<?> restartedGroup = (RaftGroup<?>) services.await((Class) RaftGroup.class, reference -> true);
        awaitLeader(restartedGroup);
        readAll(restarted, "update-");
    }

    private void writeAll(String prefix) throws Exception {
        for (int i = 0; i < WRITES; i++) {
            await(store.put(prefix + i, "value-" + i));
        }
    }

    private static void readAll(KeyValueStore from, String prefix) throws Exception {
        for (int i = 0; i < WRITES; i++) {
            assertEquals(prefix + i, Optional.of("value-" + i), await(from.get(prefix + i)));
        }
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static void awaitLeader(RaftGroup<?> group) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (group.role() != GroupRole.LEADER) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("group " + group.name() + " did not lead within 60 s: " + group.role());
            }
            Thread.sleep(20);
        }
    }
}
