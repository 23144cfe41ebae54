package dev.ringlock.testsupport.contract;

import java.time.Duration;

import dev.ringlock.leader.LeaderElectionProvider;

/**
 * What {@link AbstractLeaderElectionContractTests} needs from one backend: making and closing clients, each
 * standing for a separate process, and how long an election may take on it.
 * <p>
 * The tests make every client through {@link #createClient()}, close every candidacy they started on it, and
 * then call {@link #assertNothingLeftBehind} and {@link #closeClient} for it, after each test, while the
 * backend's server runs.
 */
public interface LeaderElectionFixture {

    /**
     * A new client standing for a separate process: its own connection, session or Curator client, not one shared
     * with the other clients.
     */
    LeaderElectionProvider createClient();

    /** Closes a client made by {@link #createClient()} and what it alone used; called once per client. */
    void closeClient(LeaderElectionProvider client) throws Exception;

    /**
     * Checks that {@code client}, all of whose candidacies were closed, keeps no candidate, lease renewal or watch;
     * it may wait a little for background work, and fails with an {@link AssertionError} naming what is left. The
     * default checks nothing.
     */
    default void assertNothingLeftBehind(LeaderElectionProvider client) {
    }

    /**
     * How long a hand-over after a yield or a close may take: it must not wait for a lease or session to end, so
     * this is well below both. 2 s by default.
     */
    default Duration handOverTimeout() {
        return Duration.ofSeconds(2);
    }

    /**
     * How long the first leader of a new group, or a follower's view of who leads, may take. 10 s by default.
     */
    default Duration electionTimeout() {
        return Duration.ofSeconds(10);
    }
}
