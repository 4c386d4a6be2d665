package dev.spool.raft.pipeline;

/**
 * Fields that keep a hot field off the cache lines of whatever the heap places before its object. The JVM lays
 * out a superclass's fields before a subclass's, so a subclass declares its hot fields right after these and its
 * own right-hand padding after them. 120 bytes rather than 56 because CPUs prefetch cache lines in pairs.
 */
@SuppressWarnings("unused") // the fields exist only to occupy space
abstract class CacheLinePadding {
    protected long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}
