/**
 * Journal benchmarks: appends and sequential reads through Spool's journal, measured in the same run against two
 * baselines doing the same work — a minimal hand-written loop over memory-mapped segment files, and OpenDaylight's
 * {@code atomix-storage}, the journal of the stack Spool replaces.
 *
 * <p>Every implementation copies each payload from one preallocated direct buffer into its storage, and on reading
 * verifies the record's checksum and copies the payload into one preallocated direct buffer. Segment files are
 * 64 MiB everywhere.
 */
package dev.spool.benchmarks.journal;
