package dev.spool.itests.cluster.harness;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The links between the members of a {@link ClusterHarness}, each through a {@link FaultProxy}: member {@code a}
 * reaches member {@code b} at the proxy {@code a->b}, which forwards to {@code b}'s replication port. Whichever of
 * the two dials, the bytes {@code a} sends {@code b} cross either {@code a->b} forward or {@code b->a} backward, so
 * a fault on the directed link {@code a} to {@code b} is set on both.
 *
 * <p>Thread-safe.
 */
public final class ClusterNetwork implements AutoCloseable {

    private final List<String> ids;
    /** By {@code from + "->" + to}: the proxy {@code from} dials {@code to} through. */
    private final Map<String, FaultProxy> proxies = new LinkedHashMap<>();

    ClusterNetwork(Map<String, Integer> listenPorts) throws IOException {
        this.ids = List.copyOf(listenPorts.keySet());
        try {
            for (String from : ids) {
                for (String to : ids) {
                    if (!from.equals(to)) {
                        proxies.put(key(from, to), new FaultProxy(key(from, to), listenPorts.get(to)));
                    }
                }
            }
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /**
     * Returns the port a member dials a peer at.
     *
     * @param from the dialing member
     * @param to the peer
     * @return the proxy's port
     */
    int port(String from, String to) {
        return proxy(from, to).port();
    }

    /**
     * Sets what happens to the bytes one member sends another (only that direction).
     *
     * @param from the sender
     * @param to the receiver
     * @param fault what happens to them
     */
    public void link(String from, String to, LinkFault fault) {
        proxy(from, to).fault(FaultProxy.Direction.FORWARD, fault);
        proxy(to, from).fault(FaultProxy.Direction.BACKWARD, fault);
    }

    /**
     * Cuts one direction: the bytes {@code from} sends {@code to} are discarded, the other way they pass.
     *
     * @param from the sender
     * @param to the receiver
     */
    public void cut(String from, String to) {
        link(from, to, LinkFault.DROP);
    }

    /**
     * Partitions the cluster in two sides: every byte between them is discarded, both ways.
     *
     * @param side the members on one side; every other member is on the other
     */
    public void partition(Collection<String> side) {
        for (String a : side) {
            for (String b : ids) {
                if (!side.contains(b)) {
                    cut(a, b);
                    cut(b, a);
                }
            }
        }
    }

    /**
     * Isolates a member from all others, both ways.
     *
     * @param id the member
     */
    public void isolate(String id) {
        partition(List.of(id));
    }

    /**
     * Resets every connection between two members (RST to both ends); the dialing member reconnects.
     *
     * @param a one member
     * @param b the other
     */
    public void reset(String a, String b) {
        proxy(a, b).reset();
        proxy(b, a).reset();
    }

    /** Lets every byte pass on every link again, at once. */
    public void heal() {
        for (FaultProxy proxy : proxies.values()) {
            proxy.fault(FaultProxy.Direction.FORWARD, LinkFault.PASS);
            proxy.fault(FaultProxy.Direction.BACKWARD, LinkFault.PASS);
        }
    }

    /** @return every proxy, for diagnosis */
    public List<FaultProxy> proxies() {
        return new ArrayList<>(proxies.values());
    }

    private FaultProxy proxy(String from, String to) {
        final FaultProxy proxy = proxies.get(key(from, to));
        if (proxy == null) {
            throw new IllegalArgumentException("no link " + key(from, to) + " among " + ids);
        }
        return proxy;
    }

    private static String key(String from, String to) {
        return from + "->" + to;
    }

    /** Closes every proxy. */
    @Override
    public void close() {
        proxies.values().forEach(FaultProxy::close);
    }
}
