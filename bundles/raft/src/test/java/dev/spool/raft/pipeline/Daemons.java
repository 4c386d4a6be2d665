package dev.spool.raft.pipeline;

/** Worker threads for concurrency tests: daemons, so a worker stuck by a bug cannot keep the test JVM alive. */
final class Daemons {

    private Daemons() {}

    /**
     * Starts a daemon thread.
     *
     * @param work what it runs
     * @return the started thread
     */
    static Thread start(Runnable work) {
        final var thread = new Thread(work);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
