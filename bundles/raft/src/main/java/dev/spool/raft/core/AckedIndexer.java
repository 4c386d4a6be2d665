package dev.spool.raft.core;

/**
 * What one voter has reached for the measure a majority is asked about: the index it has flushed, the read context
 * it acknowledged, whether it was heard from lately (1 or 0). A voter that does not count answers 0.
 */
@FunctionalInterface
interface AckedIndexer {

    /**
     * @param voter a voter's id
     * @return what it has reached, 0 if nothing
     */
    long ackedIndex(String voter);
}
