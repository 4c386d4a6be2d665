/**
 * The Raft actor's pipeline primitives: preallocated entry slots, single-writer padded sequences (the pointers
 * {@code accepted}, {@code flushed}, {@code committed}, {@code applied}), and the duty-cycle agents that follow
 * them, run by a few threads shared by every group of a member. Quorums are the core's
 * ({@code dev.spool.raft.core.MajorityConfig}): followers' matches reach it as messages, not as sequences.
 *
 * <p>The vocabulary follows the LMAX Disruptor ({@link dev.spool.raft.pipeline.Sequence}: one writer, readers
 * gated by the sequences they follow, cache-line padding, no locks on the hot path) and Agrona
 * ({@link dev.spool.raft.pipeline.Agent}: explicit duty cycles; {@link dev.spool.raft.pipeline.Counter}s for
 * observability). Hot paths allocate nothing. A task with nothing to do parks its thread; the writer of a pointer
 * wakes the threads that follow it through a {@link dev.spool.raft.pipeline.WakeSignal} — a park/unpark signal, not
 * a queue — and that costs no system call while the follower is running. A client thread that must block (for room
 * in a group's intake) waits on a {@link dev.spool.raft.pipeline.BlockingSignal}, the same cycle for many waiters.
 *
 * <p>Internal to the Raft bundle: neither exported to other modules nor to OSGi.
 */
package dev.spool.raft.pipeline;
