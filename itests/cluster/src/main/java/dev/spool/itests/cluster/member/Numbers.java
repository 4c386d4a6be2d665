package dev.spool.itests.cluster.member;

/** Parses the whole numbers of command lines and control requests, with messages naming the value that is wrong. */
final class Numbers {

    private Numbers() {}

    /**
     * Parses a number that must not be negative.
     *
     * @param what the value as given, such as {@code --slots 12} or {@code size=64}, for the message
     * @param value the text to parse
     * @return the number
     * @throws IllegalArgumentException naming {@code what} if it is not a whole number or is negative
     */
    static long nonNegative(String what, String value) {
        final long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": not a whole number", e);
        }
        if (parsed < 0) {
            throw new IllegalArgumentException(what + ": must not be negative");
        }
        return parsed;
    }

    /**
     * Narrows a parsed number to an {@code int}.
     *
     * @param what the value as given, for the message
     * @param value the number
     * @return the number as an {@code int}
     * @throws IllegalArgumentException naming {@code what} if it does not fit
     */
    static int asInt(String what, long value) {
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + ": above " + Integer.MAX_VALUE);
        }
        return (int) value;
    }
}
