package dev.spool.replication.wire;

/**
 * The rule every name on the wire follows (cluster names, member ids, group ids): 1 to a field's maximum of
 * characters, none of them white space or a control character, the same rule as {@link dev.spool.api.cluster.Member}
 * ids. A name that breaks it cannot be logged unambiguously, so it is refused before it reaches any state.
 */
final class Identifiers {

    private Identifiers() {}

    /**
     * Checks a name.
     *
     * @param name the name
     * @param maxLength its longest length, in characters
     * @return what is wrong with the name, or {@code null} if it is acceptable
     */
    static String problem(String name, int maxLength) {
        if (name.isEmpty() || name.length() > maxLength) {
            return "must have 1 to " + maxLength + " characters, not " + name.length();
        }
        for (int i = 0; i < name.length(); i++) {
            final char c = name.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                return "contains white space or a control character at character " + i;
            }
        }
        return null;
    }
}
