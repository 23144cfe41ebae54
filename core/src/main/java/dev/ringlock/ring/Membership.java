package dev.ringlock.ring;

import java.util.Set;
import java.util.function.Consumer;

/**
 * The SPI behind {@link HashRingRouter}: tells who the members of the ring are, and registers this
 * instance as one. Each backend implements it; a {@link StaticMembership} serves a fixed list.
 */
public interface Membership {

    /** The backend's name, for logs and errors: {@code static}, {@code zookeeper}, {@code redis}. */
    String backend();

    /**
     * Starts watching the members. {@code listener} receives the whole member set now or soon, and again
     * after every change; calls never overlap, and come from the membership's own thread, never from a
     * caller of {@code route()}.
     */
    void start(Consumer<Set<String>> listener);

    /** Registers {@code memberId} as a member until {@link #leave(String)} or {@link #stop()}. */
    void join(String memberId);

    /** Removes {@code memberId}, registered by {@link #join(String)}, at once. */
    void leave(String memberId);

    /** Stops watching and leaves every member this instance joined. */
    void stop();
}
