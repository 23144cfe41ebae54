package dev.ringlock.leader;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.ringlock.support.Identifiers;
import org.jspecify.annotations.Nullable;

/**
 * Ringlock's {@link LeaderElection}: one candidacy per group, started through a {@link LeaderElectionProvider}
 * as this instance's member id, and kept until it is closed; a join after that starts a new one. Each new
 * candidacy gets the application-wide listener (the one that publishes the events), if there is one.
 * {@link #close()} leaves every group, at shutdown; a join after that (a scheduled {@code @LeaderOnly} job that
 * fires while the application stops) gets a candidacy that is closed already and never leads, so nothing joins
 * the election again on the way down.
 */
public final class DefaultLeaderElection implements LeaderElection, AutoCloseable {

    private final String memberId;
    private final LeaderElectionProvider provider;
    private final @Nullable LeadershipListener listener;
    private final Map<String, Leadership> joined = new ConcurrentHashMap<>();
    /** Told of each new candidacy; added to and called with {@link #joining} held. */
    private final List<Consumer<? super Leadership>> joinListeners = new CopyOnWriteArrayList<>();
    /**
     * Serialises joins, so that a group is joined once however many threads ask at the same time, and so that a
     * join listener added meanwhile is told of each candidacy exactly once.
     */
    private final Object joining = new Object();
    /** Set by {@link #close()}, under {@link #joining}. */
    private boolean closed;

    /**
     * @param memberId this instance's name in every election ({@code ringlock.leader.member-id})
     * @param listener told of every grant and revoke of every candidacy; may be null
     * @throws IllegalArgumentException naming {@code memberId} when it is blank or unusable
     */
    public DefaultLeaderElection(String memberId, LeaderElectionProvider provider, @Nullable LeadershipListener listener) {
        this.memberId = Identifiers.requireValid("memberId", memberId);
        this.provider = Objects.requireNonNull(provider, "provider");
        this.listener = listener;
    }

    /** This instance's member id. */
    public String memberId() {
        return memberId;
    }

    /** The backend the elections run on. */
    public String backend() {
        return provider.backend();
    }

    @Override
    public Leadership join(String group) {
        Identifiers.requireValid("group", group);
        Leadership existing = joined.get(group);
        if (existing != null) {
            return existing;
        }
        synchronized (joining) {
            existing = joined.get(group);
            if (existing != null) {
                return existing;
            }
            if (closed) {
                return new LeftLeadership(group, memberId);
            }
            JoinedLeadership candidacy = new JoinedLeadership(provider.join(group, memberId), this::forget);
            joined.put(group, candidacy);
            if (listener != null) {
                candidacy.addListener(listener);
            }
            joinListeners.forEach(joinListener -> joinListener.accept(candidacy));
            return candidacy;
        }
    }

    /**
     * Tells {@code joinListener} of every open candidacy now and, from then on, of each new one right after it
     * is joined (on the joining thread, before {@link #join} returns): once per candidacy, a group joined again
     * after a close included. For what watches the groups this instance is in (its meters); it runs while joins
     * wait, so it must be quick and must not join.
     */
    public void addJoinListener(Consumer<? super Leadership> joinListener) {
        Objects.requireNonNull(joinListener, "joinListener");
        synchronized (joining) {
            joinListeners.add(joinListener);
            joined.values().forEach(joinListener);
        }
    }

    /** The open candidacies, one per joined group. */
    public List<Leadership> joined() {
        return List.copyOf(joined.values());
    }

    /** Leaves every joined group; each leader hands over at once. */
    @Override
    public void close() {
        synchronized (joining) {
            closed = true;
        }
        for (Leadership candidacy : new ArrayList<>(joined.values())) {
            candidacy.close();
        }
    }

    private void forget(JoinedLeadership candidacy) {
        joined.remove(candidacy.group(), candidacy);
    }

    /** What a join gets once the election is closed: a candidacy that has left already. */
    private record LeftLeadership(String group, String memberId) implements Leadership {

        @Override
        public boolean isLeader() {
            return false;
        }

        @Override
        public long term() {
            return 0;
        }

        @Override
        public Optional<String> leader() {
            return Optional.empty();
        }

        @Override
        public void yieldLeadership() {
        }

        @Override
        public void addListener(LeadershipListener listener) {
            Objects.requireNonNull(listener, "listener");
        }

        @Override
        public void close() {
        }
    }

    @Override
    public String toString() {
        return "DefaultLeaderElection[member='" + memberId + "', backend=" + provider.backend() + ", groups="
                + joined.keySet() + "]";
    }
}
