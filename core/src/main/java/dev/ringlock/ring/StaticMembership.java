package dev.ringlock.ring;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A fixed member list ({@code ringlock.ring.nodes}). {@link #join(String)} adds a member in this instance
 * only: other instances see it only if it is in their list too.
 */
public final class StaticMembership implements Membership {

    /** This membership's name in {@link #backend()}, logs and metrics tags. */
    public static final String BACKEND = "static";

    private final Set<String> members = new TreeSet<>();

    private Consumer<Set<String>> listener = members -> {
    };

    public StaticMembership(Collection<String> nodes) {
        // fail on a blank or duplicate id now, with the ring's message, rather than at start (the v1 route:
        // it builds no slot table)
        HashRing.of(nodes, RingRoute.RENDEZVOUS);
        this.members.addAll(nodes);
    }

    @Override
    public String backend() {
        return BACKEND;
    }

    @Override
    public synchronized void start(Consumer<Set<String>> listener) {
        this.listener = listener;
        listener.accept(Set.copyOf(members));
    }

    @Override
    public synchronized void join(String memberId) {
        if (members.add(memberId)) {
            listener.accept(Set.copyOf(members));
        }
    }

    @Override
    public synchronized void leave(String memberId) {
        if (members.remove(memberId)) {
            listener.accept(Set.copyOf(members));
        }
    }

    @Override
    public synchronized void stop() {
        listener = members -> {
        };
    }
}
