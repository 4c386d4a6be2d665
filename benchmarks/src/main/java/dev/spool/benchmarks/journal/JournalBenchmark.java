package dev.spool.benchmarks.journal;

import dev.spool.api.group.Durability;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every journal benchmark shares: the implementation and payload size parameters, the run length, and one
 * journal per trial in a fresh directory that is deleted afterwards.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 4)
public abstract class JournalBenchmark {

    /** The journal under test. */
    @Param({"SPOOL", "MMAP_LOOP", "ATOMIX_STORAGE"})
    public Implementation journal;

    /** The payload size in bytes. */
    @Param({"64", "1024", "65536"})
    public int payloadSize;

    private Path directory;
    private JournalUnderTest journalUnderTest;

    /**
     * Opens a new journal of the implementation under test in a fresh directory.
     *
     * @param trial names the directory, for whoever looks at the disk during a run
     * @param durability the journal's durability
     * @return the journal, closed after the trial
     * @throws IOException if it cannot be created
     */
    JournalUnderTest openJournal(String trial, Durability durability) throws IOException {
        directory = BenchmarkFiles.freshDirectory(trial + "-" + journal + "-" + payloadSize + "-" + durability);
        journalUnderTest = journal.open(directory, durability);
        return journalUnderTest;
    }

    /**
     * Closes the journal and deletes its files.
     *
     * @throws IOException if that fails
     */
    @TearDown(Level.Trial)
    public void closeJournal() throws IOException {
        try {
            if (journalUnderTest != null) {
                journalUnderTest.close();
            }
        } finally {
            BenchmarkFiles.delete(directory);
        }
    }
}
