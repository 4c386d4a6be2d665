package dev.spool.testing.lin;

/**
 * The verdict of {@link LinearizabilityChecker#check}.
 *
 * @param linearizable whether a linearization of the whole history was found
 * @param key          the key whose sub-history is not linearizable (or whose search hit its limit);
 *                     {@code null} when the history is linearizable
 * @param explanation  for a failure: the key, the longest linearizable prefix found and the operations
 *                     that could not be placed; for a success, a one-line summary
 */
public record CheckResult(boolean linearizable, String key, String explanation) {}
