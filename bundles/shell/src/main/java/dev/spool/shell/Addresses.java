package dev.spool.shell;

/** Checks a member address given on the command line. */
final class Addresses {

    private Addresses() {}

    /**
     * Checks that {@code address} reads {@code host:port} with a port from 1 to 65535.
     *
     * @param address the address
     * @return the address
     * @throws IllegalArgumentException naming the address and what is wrong with it
     */
    static String check(String address) {
        final int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("address must be host:port, not '" + address + "'");
        }
        final int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port of address '" + address + "' is not a number");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port of address '" + address + "' must be between 1 and 65535");
        }
        return address;
    }
}
