package dev.ringlock.ring;

/**
 * Thrown when a key is routed on a ring with no node: no member has joined yet, or all have left.
 */
public class NoRouteException extends RuntimeException {

    private final String key;

    public NoRouteException(String key) {
        super("No node to route key '" + key + "' to: the ring is empty. Check that members have joined "
                + "(ringlock.ring.self-id on each instance, or ringlock.ring.nodes for a static ring)");
        this.key = key;
    }

    /** The key that could not be routed. */
    public String key() {
        return key;
    }
}
