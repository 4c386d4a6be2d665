package dev.spool.raft.core;

/** Where a campaign stands in one membership's tally. */
enum VoteResult {
    /** Neither won nor lost: the voters yet to answer decide. */
    PENDING,
    /** Too many refused for the missing answers to make a majority. */
    LOST,
    /** A majority granted. */
    WON
}
