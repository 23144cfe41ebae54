package dev.ringlock.local;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.ringlock.leader.AbstractLeadership;
import dev.ringlock.leader.LeaderElectionProvider;
import dev.ringlock.leader.Leadership;
import dev.ringlock.support.Identifiers;
import org.jspecify.annotations.Nullable;

/**
 * Leader election within this JVM. Per group, the candidates queue in join order and the first leads; a
 * yield moves the leader behind the others and hands over at once (the only candidate leads again, with a new
 * term); a close hands over at once. A local leadership never expires. Terms come from one counter per group,
 * floored by the wall clock in microseconds, so they keep increasing across restarts of the process as long as
 * the clock does.
 */
public final class LocalLeaderElectionProvider implements LeaderElectionProvider {

    /** Guards {@link #groups}; never held while a candidacy is told of a change. */
    private final Object mutex = new Object();
    /** Kept when they have no candidate, so that each group's terms keep increasing. */
    private final Map<String, Group> groups = new HashMap<>();

    @Override
    public String backend() {
        return LocalBackend.NAME;
    }

    @Override
    public Leadership join(String group, String memberId) {
        Identifiers.requireValid("group", group);
        Identifiers.requireValid("memberId", memberId);
        LocalLeadership candidacy = new LocalLeadership(group, memberId);
        Change change;
        synchronized (mutex) {
            Group state = groups.computeIfAbsent(group, g -> new Group());
            state.candidates.add(candidacy);
            change = state.leader == null ? state.electFirst() : new Change(state, null, 0);
        }
        change.apply();
        return candidacy;
    }

    /** The candidates of one group, in line; the leader (if any) is the first. Guarded by {@link #mutex}. */
    private static final class Group {
        final List<LocalLeadership> candidates = new ArrayList<>();
        @Nullable LocalLeadership leader;
        long lastTerm;
        /** Counts the changes, so that a candidate told of two out of order keeps the later one. */
        long version;

        /** Makes the first candidate the leader with a new term, or none if there is no candidate. */
        Change electFirst() {
            leader = candidates.isEmpty() ? null : candidates.get(0);
            if (leader == null) {
                return new Change(this, null, 0);
            }
            lastTerm = Math.max(lastTerm + 1, TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis()));
            return new Change(this, leader, lastTerm);
        }
    }

    /**
     * A decision taken under the mutex and carried out after it: the grant, and who every candidate now sees
     * leading. A grant to a candidacy closed in between is refused by it, and its leave elects the next one.
     */
    private static final class Change {
        final List<LocalLeadership> candidates;
        final @Nullable LocalLeadership granted;
        final long term;
        final @Nullable String leader;

        final long version;

        Change(Group group, @Nullable LocalLeadership granted, long term) {
            this.version = ++group.version;
            this.candidates = List.copyOf(group.candidates);
            this.granted = granted;
            this.term = term;
            this.leader = group.leader != null ? group.leader.memberId() : null;
        }

        void apply() {
            if (granted != null) {
                granted.grant(version, term);
            }
            for (LocalLeadership candidate : candidates) {
                if (candidate != granted) {
                    candidate.see(version, leader);
                }
            }
        }
    }

    private final class LocalLeadership extends AbstractLeadership {

        LocalLeadership(String group, String memberId) {
            super(LocalBackend.NAME, group, memberId);
        }

        /** The version of the latest change this candidate was told of; guarded by this. */
        private long seenVersion;

        void grant(long version, long term) {
            synchronized (this) {
                seenVersion = Math.max(seenVersion, version);
            }
            granted(term);
        }

        synchronized void see(long version, @Nullable String leader) {
            if (version > seenVersion) {
                seenVersion = version;
                leaderSeen(leader);
            }
        }

        @Override
        protected void handOver(long term) {
            Change change;
            synchronized (mutex) {
                Group state = groups.get(group());
                if (state.leader != this) {
                    return;
                }
                state.candidates.remove(this);
                state.candidates.add(this);
                change = state.electFirst();
            }
            change.apply();
        }

        @Override
        protected void leave() {
            Change change;
            synchronized (mutex) {
                Group state = groups.get(group());
                state.candidates.remove(this);
                if (state.leader != this) {
                    return;
                }
                change = state.electFirst();
            }
            change.apply();
        }
    }
}
