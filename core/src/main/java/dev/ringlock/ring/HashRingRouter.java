package dev.ringlock.ring;

import java.util.List;
import java.util.function.Consumer;

/**
 * The live ring: routes keys to the current members, as told by a {@link Membership}.
 */
public interface HashRingRouter {

    /**
     * The member that owns {@code key} now.
     * @throws NoRouteException if there is no member
     */
    String route(String key);

    /**
     * The first {@code count} members of {@code key}'s preference order (replica placement), the first
     * equal to {@link #route(String)}.
     * @throws NoRouteException if there is no member
     */
    List<String> route(String key, int count);

    /** The ring as it is now; it does not change when membership does. */
    HashRing snapshot();

    /** Calls {@code listener} after every change of the ring, on the membership's thread. */
    void addListener(Consumer<RingChange> listener);
}
