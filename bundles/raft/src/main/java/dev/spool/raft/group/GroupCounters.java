package dev.spool.raft.group;

/**
 * What a group counted since this member created it (over all its starts), for operators: read from the values the
 * core agent last published, one after the other, not atomically.
 *
 * @param proposals client proposals this member accepted into its log as leader (its own and those followers
 *     forwarded)
 * @param busyRefusals proposals refused with a retryable busy error: no entry slot freed by their deadline, or
 *     refused during a leadership transfer
 * @param elections campaigns this member started (a term it voted itself in), pre-votes excluded
 * @param leaderChanges times this member learned of a leader for a new term, or of another leader
 */
public record GroupCounters(long proposals, long busyRefusals, long elections, long leaderChanges) {}
